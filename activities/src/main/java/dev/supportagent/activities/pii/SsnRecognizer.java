package dev.supportagent.activities.pii;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US social security numbers: {@code AAA-GG-SSSS} (hyphens or spaces, the same twice) with an area
 * that is issued (not 000, 666 or 900 to 999), a group other than 00 and a serial other than
 * 0000. Nine digits without separators count only after a cue ("SSN", "social security").
 */
final class SsnRecognizer implements Recognizer {

  static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})(?![\\d]|-\\d)");
  static final Pattern CUE = Pattern.compile("\\b(?:ssn|social security)\\b");
  static final int CUE_WINDOW = 40;

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      if (!issued(m.group(1), m.group(3), m.group(4))) {
        continue;
      }
      if (m.group(2).isEmpty() && !cueBefore(text, m.start())) {
        continue;
      }
      out.add(new PiiSpan(m.start(), m.end(), PiiType.US_SSN));
    }
  }

  private static boolean issued(String area, String group, String serial) {
    return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9'
        && !group.equals("00") && !serial.equals("0000");
  }

  private static boolean cueBefore(String text, int at) {
    String before = text.substring(Math.max(0, at - CUE_WINDOW), at).toLowerCase(Locale.ROOT);
    return CUE.matcher(before).find();
  }
}
