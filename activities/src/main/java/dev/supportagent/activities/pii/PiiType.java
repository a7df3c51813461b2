package dev.supportagent.activities.pii;

/**
 * The kinds of personal data and secrets the detector finds. Names follow the presidio-research
 * labels where one exists, so the {@code pii} evaluation suite compares them directly.
 */
public enum PiiType {
  EMAIL_ADDRESS("EMAIL", true),
  PHONE_NUMBER("PHONE", true),
  CREDIT_CARD("CREDIT_CARD", false),
  IBAN_CODE("IBAN", false),
  US_SSN("SSN", false),
  IP_ADDRESS("IP_ADDRESS", true),
  /** API keys, access tokens, JWTs and other long random credentials. */
  API_KEY("SECRET", false),
  PERSON("PERSON", true),
  ADDRESS("ADDRESS", true),
  LOCATION("LOCATION", true);

  private final String label;
  private final boolean restorable;

  PiiType(String label, boolean restorable) {
    this.label = label;
    this.restorable = restorable;
  }

  /** The word in this type's placeholders: {@code [EMAIL_1]}. */
  public String label() {
    return label;
  }

  /**
   * Whether {@link Redactor#restore} writes the customer's value back into a reply. Card numbers,
   * IBANs, social security numbers and secrets are shown only by their last characters: a support
   * reply never needs to repeat them whole.
   */
  public boolean restorable() {
    return restorable;
  }

  /** The type whose {@link #label()} is {@code label}, or null. */
  public static PiiType byLabel(String label) {
    for (PiiType t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    return null;
  }
}
