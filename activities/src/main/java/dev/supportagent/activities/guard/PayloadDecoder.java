package dev.supportagent.activities.guard;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds payloads hidden in a message by encoding — base64, hex, URL escapes ({@code %69}), HTML
 * and backslash escapes ({@code &#105;}, {@code \u0069}, {@code \x69}) and ROT13 — and decodes
 * them, so that the rules read a hidden instruction as they read a plain one. A decoding is kept
 * only when it gives readable text (valid UTF-8, mostly letters and spaces): a serial number that
 * happens to be valid base64 decodes to noise and is dropped.
 */
public final class PayloadDecoder {

  /** What was decoded, and from which encoding. */
  public record Decoded(String encoding, String text) {}

  static final int MIN_BASE64_CHARS = 16;
  static final int MIN_HEX_BYTES = 8;
  /** At most this many payloads per message, and decoding nests at most this deep. */
  static final int MAX_PAYLOADS = 8;
  static final int MAX_DEPTH = 2;

  // Bounded, unambiguous repetitions only: a character class run cannot backtrack badly.
  private static final Pattern BASE64 =
      Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_BASE64_CHARS + ",8000}={0,2}");
  private static final Pattern PERCENT = Pattern.compile("%[0-9a-fA-F]{2}");
  private static final Pattern ESCAPE =
      Pattern.compile("&#[xX]?[0-9a-fA-F]{1,6};|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}");

  public List<Decoded> decode(String text) {
    List<Decoded> out = new ArrayList<>();
    decode(text, 0, out);
    return out;
  }

  private void decode(String text, int depth, List<Decoded> out) {
    if (depth >= MAX_DEPTH || out.size() >= MAX_PAYLOADS) {
      return;
    }
    List<Decoded> found = new ArrayList<>();
    Matcher b64 = BASE64.matcher(text);
    while (b64.find() && found.size() < MAX_PAYLOADS) {
      String token = b64.group();
      if (looksEncoded(token)) {
        readable(base64(token)).ifPresent(s -> found.add(new Decoded("base64", s)));
      }
    }
    for (String run : hexRuns(text)) {
      if (found.size() >= MAX_PAYLOADS) {
        break;
      }
      readable(hex(run)).ifPresent(s -> found.add(new Decoded("hex", s)));
    }
    if (countMatches(PERCENT, text, 3) >= 3) {
      readable(percent(text)).ifPresent(s -> found.add(new Decoded("url", s)));
    }
    if (countMatches(ESCAPE, text, 3) >= 3) {
      found.add(new Decoded("escapes", escapes(text)));
    }
    for (Decoded d : found) {
      if (out.size() >= MAX_PAYLOADS) {
        return;
      }
      out.add(d);
      decode(d.text(), depth + 1, out);
    }
  }

  /** Base64 of text mixes cases and digits; a long plain word or number does not. */
  private static boolean looksEncoded(String token) {
    boolean upper = false;
    boolean lower = false;
    boolean digitOrSymbol = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digitOrSymbol |= (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    }
    return upper && lower && (digitOrSymbol || token.length() >= 24);
  }

  private static byte[] base64(String token) {
    String t = token.replace('-', '+').replace('_', '/');
    int end = t.indexOf('=');
    String body = end < 0 ? t : t.substring(0, end);
    if (body.length() % 4 == 1) {
      // a trailing partial quantum: drop it rather than the whole payload
      body = body.substring(0, body.length() - 1);
    }
    try {
      return Base64.getDecoder().decode(pad(body));
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static String pad(String body) {
    int rem = body.length() % 4;
    return rem == 0 ? body : body + "==".substring(0, 4 - rem);
  }

  /**
   * Runs of at least {@link #MIN_HEX_BYTES} hex pairs, each optionally written {@code 0x41} or
   * {@code \x41} and followed by one separator ({@code space : ,}). A hand-written scan: a regular
   * expression repeating a group recurses once per pair and overflows the stack on long input.
   */
  static List<String> hexRuns(String s) {
    List<String> runs = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n && runs.size() < MAX_PAYLOADS) {
      int start = i;
      int pairs = 0;
      int j = i;
      int end = i;
      while (true) {
        int k = j;
        if (k + 1 < n && (s.charAt(k) == '0' && (s.charAt(k + 1) == 'x' || s.charAt(k + 1) == 'X')
            || s.charAt(k) == '\\' && s.charAt(k + 1) == 'x')) {
          k += 2;
        }
        if (k + 1 < n && isHex(s.charAt(k)) && isHex(s.charAt(k + 1))) {
          pairs++;
          k += 2;
          end = k;
          if (k < n && (s.charAt(k) == ' ' || s.charAt(k) == ':' || s.charAt(k) == ',')) {
            k++;
          }
          j = k;
        } else {
          break;
        }
      }
      if (pairs >= MIN_HEX_BYTES) {
        runs.add(s.substring(start, end));
        i = end;
      } else {
        i = Math.max(i + 1, start + 1);
      }
    }
    return runs;
  }

  private static byte[] hex(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String digits = s.replace("0x", "").replace("0X", "").replace("\\x", "").replaceAll("[^0-9a-fA-F]", "");
    for (int i = 0; i + 1 < digits.length(); i += 2) {
      out.write(Integer.parseInt(digits.substring(i, i + 2), 16));
    }
    return out.toByteArray();
  }

  private static byte[] percent(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private static String escapes(String s) {
    Matcher m = ESCAPE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group();
      int cp;
      if (e.startsWith("&#x") || e.startsWith("&#X")) {
        cp = Integer.parseInt(e.substring(3, e.length() - 1), 16);
      } else if (e.startsWith("&#")) {
        cp = Integer.parseInt(e.substring(2, e.length() - 1));
      } else {
        cp = Integer.parseInt(e.substring(2), 16);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(cp) ? Character.toString(cp) : " "));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static int countMatches(Pattern p, String s, int enough) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (n < enough && m.find()) {
      n++;
    }
    return n;
  }

  /** Valid UTF-8 of mostly letters, digits, spaces and punctuation, with at least one space. */
  static java.util.Optional<String> readable(byte[] bytes) {
    if (bytes.length < 4) {
      return java.util.Optional.empty();
    }
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return java.util.Optional.empty();
    }
    int good = 0;
    int spaces = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == ' ' || c == '\n' || ".,:;!?'\"-()/".indexOf(c) >= 0) {
        good++;
      }
      if (c == ' ') {
        spaces++;
      }
    }
    return good >= 0.9 * s.length() && spaces > 0 ? java.util.Optional.of(s) : java.util.Optional.empty();
  }

  static String rot13(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append((char) ('a' + (c - 'a' + 13) % 26));
      } else if (c >= 'A' && c <= 'Z') {
        out.append((char) ('A' + (c - 'A' + 13) % 26));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
