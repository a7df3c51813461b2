package dev.supportagent.activities.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys and tokens: well-known prefixes (OpenAI and Anthropic {@code sk-}, Stripe, GitHub
 * {@code ghp_} and {@code github_pat_}, AWS access key ids, Slack {@code xox…}, Google {@code
 * AIza}), JSON Web Tokens, and long random-looking strings that mix upper case, lower case and
 * digits with high entropy.
 */
final class SecretRecognizer implements Recognizer {

  static final Pattern KNOWN =
      Pattern.compile(
          "(?<![\\w-])(?:"
              + "sk-(?:proj-|ant-(?:api\\d{2}-)?)?[A-Za-z0-9_-]{20,200}+"
              + "|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,200}+"
              + "|gh[pousr]_[A-Za-z0-9]{36,255}+"
              + "|github_pat_[A-Za-z0-9_]{22,255}+"
              + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
              + "|xox[abposr]-[A-Za-z0-9-]{10,200}+"
              + "|AIza[0-9A-Za-z_-]{35}"
              + "|eyJ[A-Za-z0-9_-]{8,2000}+\\.eyJ[A-Za-z0-9_-]{8,4000}+\\.[A-Za-z0-9_-]{8,2000}+"
              + ")(?![\\w-])");

  /** Long runs of token characters; those that look random are reported. */
  static final Pattern LONG_TOKEN = Pattern.compile("(?<![\\w+/=-])[A-Za-z0-9+/_=-]{24,512}+(?![\\w+/=-])");

  static final double MIN_ENTROPY_BITS = 3.5;

  @Override
  public void find(String text, List<PiiSpan> out) {
    Matcher m = KNOWN.matcher(text);
    int known = out.size();
    while (m.find()) {
      out.add(new PiiSpan(m.start(), m.end(), PiiType.API_KEY));
    }
    List<PiiSpan> prefixed = List.copyOf(out.subList(known, out.size()));
    m = LONG_TOKEN.matcher(text);
    while (m.find()) {
      PiiSpan span = new PiiSpan(m.start(), m.end(), PiiType.API_KEY);
      if (prefixed.stream().noneMatch(span::overlaps) && looksRandom(m.group())) {
        out.add(span);
      }
    }
  }

  /** Upper case, lower case and digits all present, and at least {@link #MIN_ENTROPY_BITS} per character. */
  static boolean looksRandom(String s) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    int[] counts = new int[128];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
      counts[c]++;
    }
    if (!(upper && lower && digit)) {
      return false;
    }
    double entropy = 0;
    for (int count : counts) {
      if (count > 0) {
        double p = count / (double) s.length();
        entropy -= p * Math.log(p) / Math.log(2);
      }
    }
    return entropy >= MIN_ENTROPY_BITS;
  }
}
