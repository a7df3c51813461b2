package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.List;

/**
 * {@code citations}: every marker {@code [n]} must point at a passage that was retrieved, that is
 * 1 ≤ n ≤ the number of passages, numbered as the model was shown them. Masking drops the invalid
 * markers (with the space before them); the score is the share of invalid markers.
 */
public final class CitationScanner implements OutputScanner {

  public static final String NAME = "citations";

  private final ScanAction action;

  public CitationScanner(ScanAction action) {
    this.action = action;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    if (text.indexOf('[') < 0) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    int passages = input.passages().size();
    int markers = 0;
    int invalid = 0;
    StringBuilder kept = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int end = Sentences.markerEnd(text, i);
      if (end < 0) {
        kept.append(text.charAt(i++));
        continue;
      }
      markers++;
      int n = Integer.parseInt(text.substring(i + 1, end - 1));
      if (n >= 1 && n <= passages) {
        kept.append(text, i, end);
      } else {
        invalid++;
        if (kept.length() > 0 && kept.charAt(kept.length() - 1) == ' ') {
          kept.setLength(kept.length() - 1);
        }
      }
      i = end;
    }
    if (invalid == 0) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    ScanVerdict verdict =
        new ScanVerdict(NAME, action.guardAction(), invalid / (double) markers, List.of("invalid_citation"));
    return new Result(verdict, action == ScanAction.MASK ? kept.toString() : text);
  }
}
