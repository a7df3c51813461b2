package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.List;
import java.util.Set;

/**
 * {@code grounding}: how much of the reply the retrieved passages support. Each sentence of three
 * content words or more is supported when at least {@code minSentenceSupport} of its content
 * words (lower case, stop words out, crudely stemmed, citation markers out) occur in the passages;
 * the reply's score is the share of supported sentences (1 when none has three content words). It
 * fires below {@code minScore}. Token containment rather than embeddings: it runs in well under a
 * millisecond, where embedding every sentence would take several (see docs/results.md).
 */
public final class GroundingScanner implements OutputScanner {

  public static final String NAME = "grounding";

  static final int MIN_CONTENT_WORDS = 3;

  private final ScanAction action;
  private final double minScore;
  private final double minSentenceSupport;

  public GroundingScanner(ScanAction action, double minScore, double minSentenceSupport) {
    this.action = action;
    this.minScore = minScore;
    this.minSentenceSupport = minSentenceSupport;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    if (input.passages().isEmpty()) {
      return new Result(new ScanVerdict(NAME, ScanAction.ALLOW.guardAction(), 0, List.of("no_passages")), text);
    }
    double score = score(text, Sentences.contentWordSet(input.passages()), minSentenceSupport);
    if (score >= minScore) {
      return new Result(new ScanVerdict(NAME, ScanAction.ALLOW.guardAction(), score, List.of()), text);
    }
    return new Result(new ScanVerdict(NAME, action.guardAction(), score, List.of("low_grounding")), text);
  }

  /** The share of scored sentences of {@code text} whose content words {@code passageWords} support. */
  static double score(String text, Set<String> passageWords, double minSentenceSupport) {
    int scored = 0;
    int supported = 0;
    for (Sentences.Sentence s : Sentences.split(text)) {
      List<String> words = Sentences.contentWords(withoutMarkers(text.substring(s.start(), s.end())));
      if (words.size() < MIN_CONTENT_WORDS) {
        continue;
      }
      scored++;
      long found = words.stream().filter(passageWords::contains).count();
      if (found >= minSentenceSupport * words.size()) {
        supported++;
      }
    }
    return scored == 0 ? 1.0 : supported / (double) scored;
  }

  static String withoutMarkers(String sentence) {
    if (sentence.indexOf('[') < 0) {
      return sentence;
    }
    StringBuilder out = new StringBuilder(sentence.length());
    int i = 0;
    while (i < sentence.length()) {
      int end = Sentences.markerEnd(sentence, i);
      if (end > 0) {
        i = end;
      } else {
        out.append(sentence.charAt(i++));
      }
    }
    return out.toString();
  }
}
