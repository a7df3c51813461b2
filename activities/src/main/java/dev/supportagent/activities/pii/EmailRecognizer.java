package dev.supportagent.activities.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses: a local part, {@code @}, and a domain with a dot and a letter TLD. */
final class EmailRecognizer implements Recognizer {

  // The domain is taken generously and trimmed in code: a possessive domain pattern that had to
  // end on a letter would need backtracking.
  static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.+%'-])[A-Za-z0-9_%+'-](?:[A-Za-z0-9_.%+'-]{0,63}+)@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}+)");

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      int at = text.indexOf('@', m.start());
      int end = m.end();
      // trailing dots and hyphens end a sentence, not a domain
      while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
        end--;
      }
      if (validDomain(text, at + 1, end) && text.charAt(at - 1) != '.') {
        out.add(new PiiSpan(m.start(), end, PiiType.EMAIL_ADDRESS));
      }
    }
  }

  /** Labels of 1 to 63 characters, no empty label, a last label of 2 to 24 letters. */
  private static boolean validDomain(String text, int from, int to) {
    int labels = 0;
    int labelStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || text.charAt(i) == '.') {
        int len = i - labelStart;
        if (len < 1 || len > 63) {
          return false;
        }
        labels++;
        if (i == to) {
          if (len < 2 || len > 24) {
            return false;
          }
          for (int j = labelStart; j < to; j++) {
            if (!Character.isLetter(text.charAt(j))) {
              return false;
            }
          }
        }
        labelStart = i + 1;
      }
    }
    return labels >= 2;
  }
}
