package dev.supportagent.activities.pii;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces detected personal data with typed placeholders ({@code [EMAIL_1]}, {@code
 * [CREDIT_CARD_1]}) before text goes to a third-party model, and puts the customer's values back
 * into the model's reply.
 *
 * <p>Use: in the activity that calls the model, {@code PlaceholderMapping m = new
 * PlaceholderMapping()}, redact every message the model will see with {@link #redact(String,
 * PlaceholderMapping)} (one mapping for the whole call, so a value mentioned twice gets one
 * placeholder), send the redacted text, then {@link #restore(String, PlaceholderMapping)} the
 * reply, and let the mapping go when the activity returns. See {@link PlaceholderMapping} for where
 * it may and may not live. Thread-safe; the mapping is not.
 */
public final class Redactor {

  /** A placeholder as this class writes it; models sometimes change the case. */
  static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Za-z]{1,20}+(?:_[A-Za-z]{1,20}+){0,3}+)_(\\d{1,4}+)]");

  /** How much of a value that is not restored in full stays visible: "****0933". */
  static final int VISIBLE_TAIL = 4;

  /**
   * What is redacted before a model call: every type but LOCATION. A country or a town alone
   * identifies nobody, and a question such as "do you ship to Germany?" needs it to be answered.
   */
  public static final Set<PiiType> MODEL_CALL_TYPES = EnumSet.complementOf(EnumSet.of(PiiType.LOCATION));

  private final PiiDetector detector;

  public Redactor(PiiDetector detector) {
    this.detector = detector;
  }

  /** The redactor for text sent to a model provider: {@link #MODEL_CALL_TYPES}, default phone regions. */
  public static Redactor forModelCalls() {
    return new Redactor(PiiDetector.builder().types(MODEL_CALL_TYPES).build());
  }

  /** A redacted text, the types replaced (one per span, in text order) and the mapping used. */
  public record Redaction(String text, List<PiiType> types, PlaceholderMapping mapping) {}

  /** Redacts {@code text} with a new mapping. */
  public Redaction redact(String text) {
    PlaceholderMapping mapping = new PlaceholderMapping();
    List<PiiType> types = new ArrayList<>();
    return new Redaction(redact(text, mapping, types), types, mapping);
  }

  /** Redacts {@code text}, adding its values to {@code mapping}; returns the redacted text. */
  public String redact(String text, PlaceholderMapping mapping) {
    return redact(text, mapping, new ArrayList<>());
  }

  /** Redacts {@code text}, adding its values to {@code mapping} and their types to {@code types}. */
  public String redact(String text, PlaceholderMapping mapping, List<PiiType> types) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<PiiSpan> spans = detector.detect(text);
    if (spans.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (PiiSpan span : spans) {
      out.append(text, last, span.start())
          .append(mapping.placeholderFor(span.type(), text.substring(span.start(), span.end())));
      types.add(span.type());
      last = span.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /**
   * Puts the customer's values back where the reply has their placeholders: whole for restorable
   * types (e-mail, phone, names, addresses, places, IP addresses), as the last {@value
   * #VISIBLE_TAIL} characters for card numbers, IBANs, SSNs and secrets ("****0933"). Placeholders
   * the mapping did not make are left as they are. Idempotent on a restored text.
   */
  public static String restore(String reply, PlaceholderMapping mapping) {
    if (reply == null || mapping.isEmpty() || reply.indexOf('[') < 0) {
      return reply;
    }
    Matcher m = PLACEHOLDER.matcher(reply);
    StringBuilder out = new StringBuilder(reply.length());
    while (m.find()) {
      String placeholder = "[" + m.group(1).toUpperCase(Locale.ROOT) + "_" + m.group(2) + "]";
      String value = mapping.valueOf(placeholder);
      String replacement = m.group();
      if (value != null) {
        replacement = mapping.typeOf(placeholder).restorable() ? value : masked(value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** "****" and the value's last letters or digits. */
  static String masked(String value) {
    StringBuilder tail = new StringBuilder();
    for (int i = value.length() - 1; i >= 0 && tail.length() < VISIBLE_TAIL; i--) {
      if (Character.isLetterOrDigit(value.charAt(i))) {
        tail.append(value.charAt(i));
      }
    }
    return "****" + tail.reverse();
  }
}
