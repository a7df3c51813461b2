package dev.supportagent.activities.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which typed placeholder stands for which of the customer's values, for one model call. It holds
 * raw personal data, so it lives only in memory, inside the one activity that redacts the text,
 * calls the model and restores the reply: never in a workflow input or result (Temporal keeps those
 * in history), never in a log, a trace attribute, a metric, the turn log or a cache. It is
 * deliberately neither serialisable nor printable ({@link #toString()} shows counts only).
 *
 * <p>The same value always gets the same placeholder, however it is written ("+1 415-555-0142"
 * and "(415) 555 0142" are one phone number), so a model sees that two mentions are one thing.
 * Not thread-safe: one per model call.
 */
public final class PlaceholderMapping {

  private final Map<String, String> placeholderByKey = new HashMap<>();
  private final Map<String, String> valueByPlaceholder = new HashMap<>();
  private final Map<String, PiiType> typeByPlaceholder = new HashMap<>();
  private final Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);

  /** The placeholder of {@code value}, {@code [LABEL_n]}, new if the value was not seen before. */
  public String placeholderFor(PiiType type, String value) {
    String key = type.name() + ':' + normalise(type, value);
    String existing = placeholderByKey.get(key);
    if (existing != null) {
      return existing;
    }
    int n = counts.merge(type, 1, Integer::sum);
    String placeholder = "[" + type.label() + "_" + n + "]";
    placeholderByKey.put(key, placeholder);
    valueByPlaceholder.put(placeholder, value);
    typeByPlaceholder.put(placeholder, type);
    return placeholder;
  }

  /** The value a placeholder stands for, or null when this mapping did not make it. */
  public String valueOf(String placeholder) {
    return valueByPlaceholder.get(placeholder);
  }

  /** The type of a placeholder this mapping made, or null. */
  public PiiType typeOf(String placeholder) {
    return typeByPlaceholder.get(placeholder);
  }

  /** Whether the customer gave this value (compared as {@link #normalise} does). */
  public boolean contains(PiiType type, String value) {
    return placeholderByKey.containsKey(type.name() + ':' + normalise(type, value));
  }

  public int size() {
    return valueByPlaceholder.size();
  }

  public boolean isEmpty() {
    return valueByPlaceholder.isEmpty();
  }

  /** How many distinct values of each type: safe to log. */
  public Map<PiiType, Integer> counts() {
    return Map.copyOf(counts);
  }

  @Override
  public String toString() {
    return "PlaceholderMapping" + counts;
  }

  /**
   * The form two mentions of one value share: letters and digits only (upper case) for numbers and
   * codes, lower case for e-mail addresses, single spaces and lower case for names and places.
   */
  public static String normalise(PiiType type, String value) {
    return switch (type) {
      case PHONE_NUMBER -> nationalNumber(value);
      case CREDIT_CARD, IBAN_CODE, US_SSN -> alphanumeric(value);
      case EMAIL_ADDRESS, IP_ADDRESS -> value.strip().toLowerCase(Locale.ROOT);
      case API_KEY -> value.strip();
      case PERSON, ADDRESS, LOCATION -> value.strip().replaceAll("\\s++", " ").toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A phone number without its country code or trunk prefix: libphonenumber's national number for
   * an international one, the digits without leading zeros otherwise. "+1 415-555-0132", "(415)
   * 555 0132" and "+44 20 7946 0958", "020 7946 0958" are each one number.
   */
  private static String nationalNumber(String value) {
    if (value.strip().startsWith("+")) {
      try {
        return Long.toString(PhoneNumberUtil.getInstance().parse(value, "ZZ").getNationalNumber());
      } catch (NumberParseException e) {
        // fall back to the digits
      }
    }
    String digits = alphanumeric(value);
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static String alphanumeric(String value) {
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
