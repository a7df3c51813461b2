package dev.supportagent.activities.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 12 to 19 digits, optionally in groups split by single spaces or hyphens,
 * that pass the Luhn check and are not one repeated digit.
 */
final class CardRecognizer implements Recognizer {

  static final Pattern CARD = Pattern.compile("(?<![\\w.,/+-])\\d(?:[ -]?+\\d){11,18}+(?![\\d]|[.,/-]\\d)");

  static final int MIN_DIGITS = 12;
  static final int MAX_DIGITS = 19;

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String candidate = m.group();
      if (consistentSeparators(candidate) && luhn(candidate) && !oneDigitRepeated(candidate)) {
        out.add(new PiiSpan(m.start(), m.end(), PiiType.CREDIT_CARD));
      }
    }
  }

  /** One kind of separator at most, and groups of at least three digits (not a date or a phone). */
  private static boolean consistentSeparators(String s) {
    char separator = 0;
    int group = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isDigit(c)) {
        group++;
      } else {
        if ((separator != 0 && c != separator) || group < 3) {
          return false;
        }
        separator = c;
        group = 0;
      }
    }
    return true;
  }

  static boolean luhn(CharSequence s) {
    int sum = 0;
    int digits = 0;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (!Character.isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (digits++ % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return digits >= MIN_DIGITS && digits <= MAX_DIGITS && sum % 10 == 0;
  }

  private static boolean oneDigitRepeated(String s) {
    char first = s.charAt(0);
    return s.chars().filter(Character::isDigit).allMatch(c -> c == first);
  }
}
