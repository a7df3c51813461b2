package dev.supportagent.activities.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finds personal data and secrets in text as typed spans. Structured values are checked, not just
 * matched: card numbers by Luhn, IBANs by mod 97 and their country's length, phone numbers by
 * libphonenumber, SSNs by the issued ranges. Names, street addresses and places are found by cues
 * and patterns, a best effort without a language model. Thread-safe; linear in the text (no
 * regular expression here can backtrack catastrophically).
 *
 * <p>Where spans of several types overlap, the more specific type wins (a secret over an e-mail
 * address over an IBAN over a card number over an SSN over an IP address over a phone number over
 * an address, a person or a place), then the longer span.
 */
public final class PiiDetector {

  /** Regions whose national numbers are recognised; international ({@code +…}) ones always are. */
  public static final List<String> DEFAULT_PHONE_REGIONS = List.of("US");

  public static final Leniency DEFAULT_PHONE_LENIENCY = Leniency.VALID;

  /**
   * Regions whose numbers of a possible length count when a phone word stands next to them: the
   * commonest customer countries' formats, from 7 to 12 digits.
   */
  public static final List<String> DEFAULT_PHONE_CUE_REGIONS =
      List.of("US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "SE", "DK", "AU", "BR");

  /** Detection order and precedence. */
  private static final List<PiiType> PRECEDENCE =
      List.of(
          PiiType.API_KEY, PiiType.EMAIL_ADDRESS, PiiType.IBAN_CODE, PiiType.CREDIT_CARD, PiiType.US_SSN,
          PiiType.IP_ADDRESS, PiiType.PHONE_NUMBER, PiiType.ADDRESS, PiiType.PERSON, PiiType.LOCATION);

  private final Set<PiiType> types;
  private final List<Recognizer> recognizers;

  private PiiDetector(Builder b) {
    this.types = EnumSet.copyOf(b.types);
    List<Recognizer> r = new ArrayList<>();
    if (types.contains(PiiType.API_KEY)) {
      r.add(new SecretRecognizer());
    }
    if (types.contains(PiiType.EMAIL_ADDRESS)) {
      r.add(new EmailRecognizer());
    }
    if (types.contains(PiiType.IBAN_CODE)) {
      r.add(new IbanRecognizer());
    }
    if (types.contains(PiiType.CREDIT_CARD)) {
      r.add(new CardRecognizer());
    }
    if (types.contains(PiiType.US_SSN)) {
      r.add(new SsnRecognizer());
    }
    if (types.contains(PiiType.IP_ADDRESS)) {
      r.add(new IpRecognizer());
    }
    if (types.contains(PiiType.PHONE_NUMBER)) {
      r.add(new PhoneRecognizer(b.phoneRegions, b.phoneLeniency, b.phoneCueRegions));
    }
    if (types.contains(PiiType.ADDRESS) || types.contains(PiiType.PERSON) || types.contains(PiiType.LOCATION)) {
      r.add(new NameAndPlaceRecognizer());
    }
    this.recognizers = List.copyOf(r);
  }

  /** Every type, phone numbers as dialled in the US or in international form. */
  public static PiiDetector defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Set<PiiType> types() {
    return EnumSet.copyOf(types);
  }

  /** The spans found, in text order, none overlapping another. Null or empty text has none. */
  public List<PiiSpan> detect(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<PiiSpan> candidates = new ArrayList<>();
    for (Recognizer recognizer : recognizers) {
      recognizer.find(text, candidates);
    }
    candidates.removeIf(s -> !types.contains(s.type()));
    candidates.sort(
        Comparator.comparingInt((PiiSpan s) -> PRECEDENCE.indexOf(s.type()))
            .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
            .thenComparingInt(PiiSpan::start));
    List<PiiSpan> kept = new ArrayList<>();
    for (PiiSpan candidate : candidates) {
      if (kept.stream().noneMatch(candidate::overlaps)) {
        kept.add(candidate);
      }
    }
    kept.sort(Comparator.comparingInt(PiiSpan::start));
    return kept;
  }

  /** Which types to find and how phone numbers are read. */
  public static final class Builder {
    private Set<PiiType> types = EnumSet.allOf(PiiType.class);
    private List<String> phoneRegions = DEFAULT_PHONE_REGIONS;
    private Leniency phoneLeniency = DEFAULT_PHONE_LENIENCY;
    private List<String> phoneCueRegions = DEFAULT_PHONE_CUE_REGIONS;

    private Builder() {}

    public Builder types(Set<PiiType> types) {
      if (types.isEmpty()) {
        throw new IllegalArgumentException("at least one PII type is needed");
      }
      this.types = EnumSet.copyOf(types);
      return this;
    }

    /** Two-letter region codes (ISO 3166), the most likely first; unknown ones are rejected. */
    public Builder phoneRegions(List<String> regions) {
      this.phoneRegions = List.copyOf(regions);
      return this;
    }

    /** Regions for numbers next to a phone word; empty turns that pass off. */
    public Builder phoneCueRegions(List<String> regions) {
      this.phoneCueRegions = List.copyOf(regions);
      return this;
    }

    /** {@code POSSIBLE} accepts numbers of a possible length; {@code VALID} checks the numbering plan too. */
    public Builder phoneLeniency(Leniency leniency) {
      this.phoneLeniency = leniency;
      return this;
    }

    /** @throws IllegalArgumentException for an unknown phone region */
    public PiiDetector build() {
      return new PiiDetector(this);
    }
  }
}
