package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.List;

/**
 * Size and shape limits, checked on the raw message before normalisation, so that very long or
 * binary input is turned away early and cheaply: one pass, no regular expressions. Reasons:
 * {@code empty}, {@code too_long}, {@code too_many_lines}, {@code repeated_characters}, {@code
 * binary_content}.
 */
public final class ShapeScanner {

  public static final String NAME = "shape";

  /** Below this many control characters a message is not taken for binary (a stray bell). */
  static final int MIN_CONTROL_FOR_BINARY = 4;

  /**
   * @param maxChars longest message, in UTF-16 units (the API's own limit is the same)
   * @param maxLines most line breaks plus one
   * @param maxRepeatedChars longest run of one character ("aaaa...", "\n\n\n...")
   * @param maxControlShare share of control and replacement characters above which a
   *     message is binary
   */
  public record Limits(int maxChars, int maxLines, int maxRepeatedChars, double maxControlShare) {}

  private final Limits limits;

  public ShapeScanner(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /** The verdict on the raw message: ALLOW, or BLOCK with one reason. */
  public ScanVerdict scan(String raw) {
    if (raw == null || raw.isBlank()) {
      return block("empty");
    }
    if (raw.length() > limits.maxChars()) {
      return block("too_long");
    }
    int lines = 1;
    int control = 0;
    int run = 0;
    int longestRun = 0;
    char previous = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n') {
        lines++;
      }
      run = c == previous ? run + 1 : 1;
      previous = c;
      longestRun = Math.max(longestRun, run);
      int type = Character.getType(c);
      // zero-width and other format characters are the normaliser's: they hide words, not bytes
      if ((type == Character.CONTROL && c != '\n' && c != '\t' && c != '\r') || c == '\uFFFD') {
        control++;
      }
    }
    if (control >= MIN_CONTROL_FOR_BINARY && control > limits.maxControlShare() * raw.length()) {
      return block("binary_content");
    }
    if (lines > limits.maxLines()) {
      return block("too_many_lines");
    }
    if (longestRun > limits.maxRepeatedChars()) {
      return block("repeated_characters");
    }
    return ScanVerdict.allow(NAME);
  }

  static ScanVerdict block(String reason) {
    return new ScanVerdict(NAME, GuardAction.BLOCK, 1.0, List.of(reason));
  }
}
