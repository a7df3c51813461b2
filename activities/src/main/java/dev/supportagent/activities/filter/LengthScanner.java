package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.List;

/**
 * {@code length}: a reply over {@code maxChars}. Truncating keeps the whole sentences that fit (or,
 * when the first sentence alone is too long, the words that fit and an ellipsis).
 */
public final class LengthScanner implements OutputScanner {

  public static final String NAME = "length";

  private final ScanAction action;
  private final int maxChars;

  public LengthScanner(ScanAction action, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("length.max_chars must be at least 1");
    }
    this.action = action;
    this.maxChars = maxChars;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    if (text.length() <= maxChars) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    ScanVerdict verdict = new ScanVerdict(NAME, action.guardAction(), 1.0, List.of("too_long"));
    return new Result(verdict, action == ScanAction.TRUNCATE ? truncate(text, maxChars) : text);
  }

  static String truncate(String text, int maxChars) {
    int end = 0;
    for (Sentences.Sentence s : Sentences.split(text)) {
      if (s.end() > maxChars) {
        break;
      }
      end = s.end();
    }
    if (end > 0) {
      return text.substring(0, end);
    }
    int cut = text.lastIndexOf(' ', maxChars - 1);
    return (cut > 0 ? text.substring(0, cut) : text.substring(0, maxChars - 1)).stripTrailing() + "…";
  }
}
