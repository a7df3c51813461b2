package dev.supportagent.activities.guard;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a raw message into the texts the scanners read. Runs before every scanner and is linear in
 * the input; the only regular expressions are in {@link PayloadDecoder}, with bounded repetition.
 *
 * <ul>
 *   <li>{@code text}: what goes downstream: NFKC, control and invisible characters removed, runs
 *       of spaces collapsed, and words that mix Latin letters with Cyrillic or Greek look-alikes
 *       folded to Latin (a word written half in Cyrillic is a disguise, not Russian).
 *   <li>{@code views}: lower-cased texts for the rules: the text with every look-alike folded;
 *       digits in words read as letters ("1gn0r3"); letters spaced out ("s a y  t h a t") joined;
 *       its ROT13; and whatever {@link PayloadDecoder} decoded (base64, hex, URL and HTML escapes).
 * </ul>
 */
public final class Normaliser {

  /**
   * One text the rules read: {@code source} is {@code text} for the message itself, else how it
   * was derived ({@code leetspeak}, {@code spaced_letters}, {@code rot13}, {@code base64}, ...).
   */
  public record View(String source, String text) {}

  /**
   * What the normaliser made of a message.
   *
   * @param text the message to use downstream
   * @param views lower-cased texts for the rules, the message's own first
   * @param flags what was found and undone ({@code invisible}, {@code homoglyphs}, {@code
   *     encoded:base64}, ...)
   */
  public record Normalised(String text, List<View> views, Set<String> flags) {

    public Normalised {
      views = List.copyOf(views);
      flags = Set.copyOf(flags);
    }

    /** Texts decoded from an encoding, for the classifier (without the ROT13 view). */
    public List<String> decoded() {
      return views.stream()
          .filter(v -> !v.source().equals("text") && !v.source().equals("rot13") && !v.source().equals("unfolded")
              && !v.source().equals("leetspeak") && !v.source().equals("spaced_letters"))
          .map(View::text)
          .toList();
    }
  }

  /** Runs of at least this many letters standing alone ("S a y t h a t") are joined. */
  static final int MIN_SPACED_LETTERS = 6;

  private final PayloadDecoder decoder;

  public Normaliser(PayloadDecoder decoder) {
    this.decoder = decoder;
  }

  public Normaliser() {
    this(new PayloadDecoder());
  }

  public Normalised normalise(String raw) {
    Set<String> flags = new LinkedHashSet<>();
    String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    if (!nfkc.equals(raw)) {
      flags.add("nfkc");
    }
    String visible = stripInvisible(nfkc, flags);
    String text = collapseSpaces(foldMixedScriptWords(visible, flags));

    List<View> views = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String folded = Confusables.fold(text).toLowerCase(Locale.ROOT);
    add(views, seen, "text", folded);
    // rules written in Cyrillic or Greek ("забудьте все") read the text before the fold
    add(views, seen, "unfolded", text.toLowerCase(Locale.ROOT));
    String leet = readDigitsAsLetters(folded);
    if (add(views, seen, "leetspeak", leet)) {
      flags.add("leetspeak");
    }
    if (add(views, seen, "spaced_letters", joinSpacedLetters(folded))) {
      flags.add("spaced_letters");
    }
    add(views, seen, "rot13", PayloadDecoder.rot13(folded));
    for (PayloadDecoder.Decoded d : decoder.decode(text)) {
      String view = collapseSpaces(stripInvisible(Normalizer.normalize(d.text(), Normalizer.Form.NFKC), flags));
      if (add(views, seen, d.encoding(), Confusables.fold(view).toLowerCase(Locale.ROOT))) {
        flags.add("encoded:" + d.encoding());
      }
    }
    return new Normalised(text, views, flags);
  }

  private static boolean add(List<View> views, Set<String> seen, String source, String text) {
    if (text.isEmpty() || !seen.add(text)) {
      return false;
    }
    views.add(new View(source, text));
    return true;
  }

  /** Removes format characters (zero-width, bidi) and turns other controls into spaces. */
  static String stripInvisible(String s, Set<String> flags) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (cp == '\n' || cp == '\t') {
        out.appendCodePoint(cp);
      } else if (type == Character.CONTROL) {
        out.append(' ');
        flags.add("control");
      } else if (type == Character.FORMAT || isInvisibleFiller(cp)) {
        flags.add("invisible");
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** Characters that render as nothing but are not of Unicode's format category. */
  private static boolean isInvisibleFiller(int cp) {
    return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
        || cp == 0x034F // combining grapheme joiner
        || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  /** Folds look-alikes to Latin in words that also hold Latin letters. */
  static String foldMixedScriptWords(String s, Set<String> flags) {
    StringBuilder out = new StringBuilder(s.length());
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || !Character.isLetter(s.charAt(i))) {
        String word = s.substring(start, i);
        if (hasLatinAndConfusable(word)) {
          out.append(Confusables.fold(word));
          flags.add("homoglyphs");
        } else {
          out.append(word);
        }
        if (i < s.length()) {
          out.append(s.charAt(i));
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  private static boolean hasLatinAndConfusable(String word) {
    boolean latin = false;
    boolean confusable = false;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c < 0x80 && Character.isLetter(c)) {
        latin = true;
      } else if (Confusables.isConfusable(c)) {
        confusable = true;
      }
    }
    return latin && confusable;
  }

  /** "1gn0r3 4ll" reads "ignore all": digits and a few symbols inside words that hold letters. */
  static String readDigitsAsLetters(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || Character.isWhitespace(s.charAt(i))) {
        String word = s.substring(start, i);
        out.append(hasLetter(word) && hasLeet(word) ? unleet(word) : word);
        if (i < s.length()) {
          out.append(s.charAt(i));
        }
        start = i + 1;
      }
    }
    return out.toString();
  }

  private static boolean hasLetter(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (Character.isLetter(w.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLeet(String w) {
    for (int i = 0; i < w.length(); i++) {
      if ("013457@$".indexOf(w.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String unleet(String w) {
    StringBuilder b = new StringBuilder(w.length());
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      b.append(
          switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> c;
          });
    }
    return b.toString();
  }

  /**
   * Joins runs of single letters separated by single spaces: "s a y t h a t" becomes "saythat".
   * Words inside such a run are lost, so the rules read this view with their compact patterns.
   */
  static String joinSpacedLetters(String s) {
    String[] tokens = s.split(" ", -1);
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < tokens.length) {
      int j = i;
      int letters = 0;
      while (j < tokens.length && (isSingle(tokens[j]) || (tokens[j].isEmpty() && letters > 0))) {
        if (!tokens[j].isEmpty()) {
          letters++;
        }
        j++;
      }
      if (letters >= MIN_SPACED_LETTERS) {
        if (out.length() > 0) {
          out.append(' ');
        }
        for (int k = i; k < j; k++) {
          // a double space inside the run separated words: keep it as one
          out.append(tokens[k].isEmpty() ? " " : tokens[k]);
        }
        i = j;
      } else {
        if (out.length() > 0 || i > 0) {
          out.append(' ');
        }
        out.append(tokens[i]);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isSingle(String token) {
    return token.length() == 1 && Character.isLetterOrDigit(token.charAt(0));
  }

  /** Collapses spaces and tabs to one space, keeps line breaks, trims. */
  static String collapseSpaces(CharSequence s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\u00A0') {
        space = true;
      } else {
        if (space && out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
          out.append(' ');
        }
        space = false;
        out.append(c);
      }
    }
    return out.toString().strip();
  }
}
