package dev.supportagent.activities.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses: dotted IPv4 (each part 0 to 255, no leading zeros, not after a {@code v} as in a
 * version {@code v1.2.3.4}) and IPv6 in its full or {@code ::}-compressed forms, checked in code.
 */
final class IpRecognizer implements Recognizer {

  static final Pattern IPV4 =
      Pattern.compile(
          "(?<![\\w.])(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}+(?![\\w]|\\.\\d)");
  /** Hexadecimal digits and colons; the structure is checked in code. */
  static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:]{2,39}+(?![\\w:]|\\.\\d)");

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = IPV4.matcher(text);
    while (m.find()) {
      out.add(new PiiSpan(m.start(), m.end(), PiiType.IP_ADDRESS));
    }
    if (text.indexOf(':') < 0) {
      return;
    }
    m = IPV6_CANDIDATE.matcher(text);
    while (m.find()) {
      if (ipv6(m.group())) {
        out.add(new PiiSpan(m.start(), m.end(), PiiType.IP_ADDRESS));
      }
    }
  }

  /**
   * Eight groups of 1 to 4 hex digits, or fewer around one {@code ::}. A compressed form needs two
   * groups (or is {@code ::1}) and one group with a letter or three digits or more, so that "12::30"
   * in prose is not an address.
   */
  static boolean ipv6(String s) {
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    if ((s.startsWith(":") && doubleColon != 0) || (s.endsWith(":") && doubleColon != s.length() - 2)) {
      return false;
    }
    if (doubleColon < 0) {
      String[] groups = s.split(":", -1);
      if (groups.length != 8) {
        return false;
      }
      for (String g : groups) {
        if (g.isEmpty() || g.length() > 4) {
          return false;
        }
      }
      return true;
    }
    if (s.equals("::1")) {
      return true;
    }
    int nonEmpty = 0;
    boolean hexLooking = false;
    for (String g : s.split(":")) {
      if (g.length() > 4) {
        return false;
      }
      if (!g.isEmpty()) {
        nonEmpty++;
        hexLooking |= g.length() >= 3 || !g.chars().allMatch(Character::isDigit);
      }
    }
    return nonEmpty >= 2 && nonEmpty <= 7 && hexLooking;
  }
}
