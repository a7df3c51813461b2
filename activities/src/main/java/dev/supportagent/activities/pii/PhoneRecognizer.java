package dev.supportagent.activities.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers, found by libphonenumber's {@code findNumbers} in two passes. First, numbers that
 * the library accepts at the configured leniency as dialled in one of the configured regions (or
 * in international form, {@code +44 …}, in any region). Second, numbers of a possible length in
 * any of the cue regions, with at least seven digits, when a phone word stands next to them
 * ("Phone:", "call me on", "… fax") or when they are written the way people write phone numbers
 * and nothing else (three or more groups, not a date, not thousands): customers write their own
 * numbers in their own country's format, which need not be valid where the company is.
 * Overlapping finds keep the longest.
 */
final class PhoneRecognizer implements Recognizer {

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  /** A phone word shortly before a number... */
  static final Pattern CUE_BEFORE =
      Pattern.compile(
          "\\b(?:phone|tel|telephone|mobile|cell|fax|desk|call|ring|text|sms|whatsapp|reach|contact|dial)\\b");
  /** ...or right after it ("… office", "… fax"). */
  static final Pattern CUE_AFTER = Pattern.compile("^[\\s,:;(-]{0,3}+(?:office|fax|mobile|cell|desk|home|work|phone)\\b");

  /** Words that make a number something else: "order 1234-5678-90", "licence number 2270-66-1551". */
  static final Pattern NOT_A_PHONE =
      Pattern.compile(
          "\\b(?:order|invoice|ticket|tracking|reference|ref|account|case|version|serial|license|licence|id|sku|iban|card|ssn)\\b[^\\d]{0,20}+$");

  /**
   * Where the second pass asks the library: runs of digits and phone punctuation. Asking a dozen
   * regions about a whole reply costs milliseconds; asking them about a few short runs does not.
   */
  static final Pattern DIGIT_RUN = Pattern.compile("[+(]?+\\d[\\d ().-]{5,40}+(?:[ ]?+(?:x|ext\\.?)[ ]?+\\d{1,6}+)?+");

  /**
   * Runs asked about per text: the second pass costs a dozen library calls a run, so a hostile text
   * of thousands of digit groups stops here (the first pass still reads it all).
   */
  static final int MAX_RUNS = 64;

  /** Characters of context given to the library around a run: it checks what precedes a number. */
  static final int RUN_CONTEXT = 3;

  static final int CUE_WINDOW = 32;
  static final int MIN_DIGITS = 7;
  static final int MIN_SHAPED_DIGITS = 8;
  static final int MAX_SHAPED_DIGITS = 12;

  private final List<String> regions;
  private final Leniency leniency;
  private final List<String> cueRegions;

  PhoneRecognizer(List<String> regions, Leniency leniency, List<String> cueRegions) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("at least one phone region is needed");
    }
    for (String region : concat(regions, cueRegions)) {
      if (!PHONES.getSupportedRegions().contains(region)) {
        throw new IllegalArgumentException("unknown phone region " + region);
      }
    }
    this.regions = List.copyOf(regions);
    this.leniency = leniency;
    this.cueRegions = List.copyOf(cueRegions);
  }

  @Override
  public void find(String text, List<PiiSpan> out) {
    if (!hasDigitRun(text)) {
      return;
    }
    List<PiiSpan> found = new ArrayList<>();
    for (String region : regions) {
      for (PhoneNumberMatch match : PHONES.findNumbers(text, region, leniency, Long.MAX_VALUE)) {
        found.add(new PiiSpan(match.start(), match.end(), PiiType.PHONE_NUMBER));
      }
    }
    if (!cueRegions.isEmpty()) {
      Matcher run = DIGIT_RUN.matcher(text);
      int runs = 0;
      while (run.find() && runs < MAX_RUNS) {
        int runDigits = digits(run.group());
        if (runDigits < MIN_DIGITS) {
          continue;
        }
        runs++;
        int from = Math.max(0, run.start() - RUN_CONTEXT);
        int to = Math.min(text.length(), run.end() + RUN_CONTEXT);
        String window = text.substring(from, to);
        for (String region : concat(regions, cueRegions)) {
          for (PhoneNumberMatch match : PHONES.findNumbers(window, region, Leniency.POSSIBLE, Long.MAX_VALUE)) {
            String raw = match.rawString();
            int digits = digits(raw);
            int start = from + match.start();
            int end = from + match.end();
            // the whole run or nothing: "1111 1111 1112" inside a card number that failed Luhn is no phone
            if (digits >= MIN_DIGITS
                && digits == runDigits
                && (cued(text, start, end) || phoneShaped(raw, digits))
                && !namedOtherwise(text, start)) {
              found.add(new PiiSpan(start, end, PiiType.PHONE_NUMBER));
            }
          }
        }
      }
    }
    found.sort(Comparator.comparingInt(PiiSpan::length).reversed().thenComparingInt(PiiSpan::start));
    List<PiiSpan> kept = new ArrayList<>();
    for (PiiSpan span : found) {
      if (kept.stream().noneMatch(span::overlaps)) {
        kept.add(span);
      }
    }
    out.addAll(kept);
  }

  // windows are lower-cased on their own: lower-casing the whole text can change its length

  private static boolean namedOtherwise(String text, int start) {
    return NOT_A_PHONE.matcher(lower(text, start - CUE_WINDOW, start)).find();
  }

  private static boolean cued(String text, int start, int end) {
    return CUE_BEFORE.matcher(lower(text, start - CUE_WINDOW, start)).find()
        || CUE_AFTER.matcher(lower(text, end, end + 16)).find();
  }

  private static String lower(String text, int from, int to) {
    return text.substring(Math.max(0, from), Math.min(text.length(), to)).toLowerCase(Locale.ROOT);
  }

  /**
   * Written as people write phone numbers: 8 to 12 digits in three or more groups split by one kind
   * of single separator (space, hyphen, dot) or with an area code in parentheses; not a date
   * (a group of four digits first or last with two-digit groups) and not a number grouped in
   * thousands ("374 780 163" reads as an amount as much as a phone number and is left out).
   */
  static boolean phoneShaped(String raw, int digits) {
    if (digits < MIN_SHAPED_DIGITS || digits > MAX_SHAPED_DIGITS) {
      return false;
    }
    List<Integer> groups = new ArrayList<>();
    char separator = 0;
    int run = 0;
    boolean parentheses = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isDigit(c)) {
        run++;
        continue;
      }
      if (c == '(' || c == ')') {
        parentheses = true;
      } else if (c == ' ' || c == '-' || c == '.') {
        if (separator != 0 && c != separator && !parentheses) {
          return false;
        }
        separator = c;
      } else {
        return false;
      }
      if (run > 0) {
        groups.add(run);
        run = 0;
      }
    }
    if (run > 0) {
      groups.add(run);
    }
    if (groups.size() < 3) {
      return false;
    }
    boolean dateLike =
        groups.size() == 3 && (groups.get(0) == 4 || groups.get(2) == 4) && groups.stream().filter(g -> g == 2).count() == 2;
    boolean thousands =
        !parentheses && raw.charAt(0) != '0' && groups.get(0) <= 3
            && groups.subList(1, groups.size()).stream().allMatch(g -> g == 3);
    boolean ssnLike = groups.equals(List.of(3, 2, 4)) && separator == '-';
    return !dateLike && !thousands && !ssnLike;
  }

  private static int digits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        n++;
      }
    }
    return n;
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

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(r -> !all.contains(r)).forEach(all::add);
    return all;
  }
}
