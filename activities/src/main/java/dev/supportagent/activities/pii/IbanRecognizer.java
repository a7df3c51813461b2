package dev.supportagent.activities.pii;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers: a country code, two check digits and the account, compact or
 * in groups of four, of the length the country's IBANs have, passing the ISO 7064 mod-97 check.
 * Case-insensitive: customers type them in lower case too.
 */
final class IbanRecognizer implements Recognizer {

  /** Where a candidate may start; the rest is walked in code, which stops on its own. */
  static final Pattern START = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?=[ ]?[A-Za-z0-9])");

  /** IBAN lengths by country (ISO 13616 registry). */
  static final Map<String, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
          Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
          Map.entry("BH", 22), Map.entry("BI", 27), Map.entry("BR", 29), Map.entry("BY", 28),
          Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
          Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
          Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18),
          Map.entry("FK", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
          Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27),
          Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22),
          Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
          Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28),
          Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
          Map.entry("LV", 21), Map.entry("LY", 25), Map.entry("MC", 27), Map.entry("MD", 24),
          Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20), Map.entry("MR", 27),
          Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
          Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28),
          Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24),
          Map.entry("RS", 22), Map.entry("RU", 33), Map.entry("SA", 24), Map.entry("SC", 31),
          Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
          Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
          Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29),
          Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

  static final int MAX_LENGTH = 34;

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = START.matcher(text);
    int searchFrom = 0;
    while (searchFrom < text.length() && m.find(searchFrom)) {
      int start = m.start();
      searchFrom = m.end();
      Integer expected = LENGTHS.get(text.substring(start, start + 2).toUpperCase(Locale.ROOT));
      if (expected == null) {
        continue;
      }
      int end = endOfIban(text, start, expected);
      if (end > 0) {
        out.add(new PiiSpan(start, end, PiiType.IBAN_CODE));
        searchFrom = end;
      }
    }
  }

  /**
   * Walks {@code expected} letters and digits from {@code start}, allowing one space between
   * them; returns the end when they form a valid IBAN that no further letter or digit continues,
   * else -1.
   */
  private static int endOfIban(String text, int start, int expected) {
    StringBuilder compact = new StringBuilder(expected);
    int i = start;
    while (i < text.length() && compact.length() < expected) {
      char c = text.charAt(i);
      if (isAlnum(c)) {
        compact.append(c);
        i++;
      } else if (c == ' ' && i + 1 < text.length() && isAlnum(text.charAt(i + 1)) && compact.length() > 0) {
        i++;
      } else {
        break;
      }
    }
    if (compact.length() != expected || (i < text.length() && isAlnum(text.charAt(i)))) {
      return -1;
    }
    return mod97(compact) == 1 ? i : -1;
  }

  private static boolean isAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** The ISO 7064 remainder: the first four characters moved to the end, letters as 10 to 35. */
  static int mod97(CharSequence iban) {
    int n = iban.length();
    int remainder = 0;
    for (int k = 0; k < n; k++) {
      char c = Character.toUpperCase(iban.charAt((k + 4) % n));
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
    }
    return remainder;
  }
}
