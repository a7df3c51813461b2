package dev.supportagent.activities.filter;

import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.OutputFilterResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks e-mail addresses and phone numbers in a reply. */
public final class OutputFilter {

  public static final String EMAIL_MASK = "[email hidden]";
  public static final String PHONE_MASK = "[phone hidden]";

  // Possessive and bounded quantifiers: no catastrophic backtracking on hostile input. The
  // lookbehind starts a local part only at its beginning, so a long run of its characters is
  // tried once, not at each of its positions (RegexSafetyTest).
  private static final Pattern EMAIL =
      Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]{1,63}+(?:\\.[A-Za-z0-9-]{1,63}+)*+");
  private static final Pattern PHONE_CANDIDATE =
      Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d ().-]{5,20}+");

  private static final int MIN_PHONE_DIGITS = 7;
  private static final int MAX_PHONE_DIGITS = 15;

  /** The personal-data check of the workflow's last step: the output guard's pii_leak alone. */
  private final OutputGuard piiLeaks =
      new OutputGuard(
          List.of(new PiiLeakScanner(PiiDetector.defaults(), ScanAction.MASK)), "", "",
          io.opentelemetry.api.OpenTelemetry.noop().getMeter("dev.supportagent"));

  /**
   * Masks personal data in a reply that neither the customer gave ({@code customerMessages}) nor
   * the help centre publishes ({@code passages}), so the customer's own e-mail address and the
   * support line's number stay readable; with neither given, it masks e-mail addresses and phone
   * numbers as {@link #filter(String)} does.
   */
  public OutputFilterResult filter(String text, List<String> customerMessages, List<String> passages) {
    if (customerMessages.isEmpty() && passages.isEmpty()) {
      return filter(text);
    }
    return piiLeaks.check(new OutputGuard.Input(text, customerMessages, passages, null, null)).toFilterResult(0);
  }

  public OutputFilterResult filter(String text) {
    List<String> masked = new ArrayList<>();
    String out = replace(EMAIL, text, m -> m.group().contains(".") ? EMAIL_MASK : null, masked, "EMAIL_ADDRESS");
    out = replace(PHONE_CANDIDATE, out, OutputFilter::maskPhone, masked, "PHONE_NUMBER");
    GuardAction action = masked.isEmpty() ? GuardAction.ALLOW : GuardAction.REDACT;
    return new OutputFilterResult(action, out, masked, 0);
  }

  private static String maskPhone(Matcher m) {
    String candidate = m.group();
    // keep trailing punctuation or spaces out of the mask
    int end = candidate.length();
    while (end > 0 && !Character.isDigit(candidate.charAt(end - 1))) {
      end--;
    }
    String number = candidate.substring(0, end);
    long digits = number.chars().filter(Character::isDigit).count();
    if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS || looksLikeDateOrAmount(number)) {
      return null;
    }
    return PHONE_MASK + candidate.substring(end);
  }

  private static boolean looksLikeDateOrAmount(String s) {
    return s.matches("\\d{4}-\\d{2}-\\d{2}") || s.matches("\\d{1,3}(?:[.,]\\d{3})++(?:[.,]\\d{2})?");
  }

  private interface Masker {
    String mask(Matcher m);
  }

  private static String replace(
      Pattern pattern, String text, Masker masker, List<String> masked, String type) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      String replacement = masker.mask(m);
      if (replacement != null) {
        out.append(text, last, m.start()).append(replacement);
        last = m.end();
        masked.add(type);
      }
    }
    return out.append(text, last, text.length()).toString();
  }
}
