package dev.supportagent.activities.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.List;

/**
 * Phone numbers, found by libphonenumber's {@code findNumbers}: international numbers
 * ({@code +44 …}) in any region, national ones as dialled in each of the given regions, the first
 * region first. A number that several regions find is reported once, as the first region found it.
 */
final class PhoneRecognizer implements Recognizer {

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final List<String> regions;
  private final Leniency leniency;

  PhoneRecognizer(List<String> regions, Leniency leniency) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("at least one phone region is needed");
    }
    for (String region : regions) {
      if (!PHONES.getSupportedRegions().contains(region)) {
        throw new IllegalArgumentException("unknown phone region " + region);
      }
    }
    this.regions = List.copyOf(regions);
    this.leniency = leniency;
  }

  @Override
  public void find(String text, List<PiiSpan> out) {
    if (!hasDigitRun(text)) {
      return;
    }
    List<PiiSpan> found = new ArrayList<>();
    for (String region : regions) {
      for (PhoneNumberMatch match : PHONES.findNumbers(text, region, leniency, Long.MAX_VALUE)) {
        PiiSpan span = new PiiSpan(match.start(), match.end(), PiiType.PHONE_NUMBER);
        if (found.stream().noneMatch(span::overlaps)) {
          found.add(span);
        }
      }
    }
    out.addAll(found);
  }

  /** No phone number has fewer than five digits: most replies skip the library altogether. */
  private static boolean hasDigitRun(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isDigit(text.charAt(i)) && ++digits >= 5) {
        return true;
      }
    }
    return false;
  }
}
