package dev.supportagent.activities.filter;

import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.activities.pii.PiiSpan;
import dev.supportagent.activities.pii.PiiType;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code pii_leak}: personal data in the reply that the customer did not give and the retrieved
 * passages do not contain: another customer's e-mail address, a card number the model made up.
 * The help centre's own contact details and the customer's own values pass. Compared on the raw
 * customer messages (the guard runs inside the activity, after placeholders were restored), and
 * in normalised form: digits for numbers (a phone number's last nine, so "+1 415 555 0142" matches
 * "415-555-0142"), lower case for the rest.
 */
public final class PiiLeakScanner implements OutputScanner {

  public static final String NAME = "pii_leak";

  static final int PHONE_SUFFIX_DIGITS = 9;

  private final PiiDetector detector;
  private final ScanAction action;

  public PiiLeakScanner(PiiDetector detector, ScanAction action) {
    this.detector = detector;
    this.action = action;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    List<PiiSpan> spans = detector.detect(text);
    if (spans.isEmpty()) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    Known customer = new Known(input.customerMessages());
    Known passages = new Known(input.passages());
    List<PiiSpan> leaks = new ArrayList<>();
    for (PiiSpan span : spans) {
      String value = text.substring(span.start(), span.end());
      if (!customer.contains(span.type(), value) && !passages.contains(span.type(), value)) {
        leaks.add(span);
      }
    }
    if (leaks.isEmpty()) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    Set<String> reasons = new LinkedHashSet<>();
    leaks.forEach(s -> reasons.add("leak:" + s.type().name()));
    ScanVerdict verdict = new ScanVerdict(NAME, action.guardAction(), 1.0, List.copyOf(reasons));
    return new Result(verdict, action == ScanAction.MASK ? mask(text, leaks) : text);
  }

  /** "[email hidden]", "[credit card hidden]": what was there, not what it said. */
  public static String maskFor(PiiType type) {
    return "[" + type.label().toLowerCase(Locale.ROOT).replace('_', ' ') + " hidden]";
  }

  static String mask(String text, List<PiiSpan> spans) {
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (PiiSpan s : spans) {
      out.append(text, last, s.start()).append(maskFor(s.type()));
      last = s.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /** Texts whose values may appear in a reply, normalised once, lazily. */
  private static final class Known {
    private final List<String> texts;
    private String lower;
    private String alphanumeric;

    Known(List<String> texts) {
      this.texts = texts;
    }

    boolean contains(PiiType type, String value) {
      if (texts.isEmpty()) {
        return false;
      }
      return switch (type) {
        case PHONE_NUMBER -> {
          String digits = PiiLeakScanner.alphanumeric(value);
          yield alphanumeric().contains(digits.substring(Math.max(0, digits.length() - PHONE_SUFFIX_DIGITS)));
        }
        case CREDIT_CARD, IBAN_CODE, US_SSN -> alphanumeric().contains(PiiLeakScanner.alphanumeric(value));
        default -> lower().contains(value.toLowerCase(Locale.ROOT).replaceAll("\\s++", " "));
      };
    }

    private String lower() {
      if (lower == null) {
        lower = String.join("\n", texts).toLowerCase(Locale.ROOT).replaceAll("[ \\t]++", " ");
      }
      return lower;
    }

    private String alphanumeric() {
      if (alphanumeric == null) {
        alphanumeric = String.join("\n", texts.stream().map(PiiLeakScanner::alphanumeric).toList());
      }
      return alphanumeric;
    }
  }

  static String alphanumeric(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }
}
