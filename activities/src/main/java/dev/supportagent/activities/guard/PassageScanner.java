package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import dev.supportagent.workflows.retrieval.Passage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indirect injection: scans retrieved passages for instructions planted for the model ("AI
 * assistant: ignore your previous instructions", markup that imitates the model's format,
 * encoded payloads) before they reach it. A flagged passage is dropped, or neutralised (the
 * sentences that carry the instruction removed, the rest kept). Each flagged passage is logged
 * with its ids and the rules that fired (never its text) and every passage's verdict is counted
 * in {@value InputGuard#METRIC} with {@code scanner=prompt_injection, stage=retrieval}.
 *
 * <p>Rules only: the classifier was trained on customer messages, not on documents, and the
 * passages' embeddings are not at hand. Linear in the passages' length. Thread-safe.
 */
public final class PassageScanner {

  /** What to do with a passage that carries planted instructions. */
  public enum Mode {
    DROP,
    NEUTRALISE
  }

  /**
   * The passages to give the model, in their order, and the verdicts on those that were flagged.
   */
  public record Result(List<Passage> kept, List<Flagged> flagged) {}

  /** A flagged passage: its ids and the verdict (BLOCK when dropped, REDACT when neutralised). */
  public record Flagged(String passageId, String documentId, ScanVerdict verdict) {}

  public static final String SCANNER = "prompt_injection";
  static final String NEUTRALISED = "[removed]";

  private static final Logger log = LoggerFactory.getLogger(PassageScanner.class);

  private final Mode mode;
  private final Normaliser normaliser = new Normaliser();
  private final LongCounter verdicts;

  public PassageScanner(Mode mode, Meter meter) {
    this.mode = mode;
    this.verdicts = InputGuard.counter(meter);
  }

  public PassageScanner(Mode mode) {
    this(mode, null);
  }

  /** The verdict on one passage's text: ALLOW, or BLOCK with the rules that fired. */
  public ScanVerdict scan(String text) {
    List<String> reasons = reasons(text);
    return reasons.isEmpty()
        ? ScanVerdict.allow(SCANNER)
        : new ScanVerdict(SCANNER, GuardAction.BLOCK, 1.0, reasons);
  }

  /** Drops or neutralises the passages with planted instructions; idempotent. */
  public Result filter(List<Passage> passages) {
    List<Passage> kept = new ArrayList<>(passages.size());
    List<Flagged> flagged = new ArrayList<>();
    for (Passage p : passages) {
      ScanVerdict verdict = scan(p.text() == null ? "" : p.text());
      if (verdict.action() == GuardAction.ALLOW) {
        kept.add(p);
        count(GuardAction.ALLOW);
        continue;
      }
      String cleaned = mode == Mode.NEUTRALISE ? neutralise(p.text()) : null;
      if (cleaned != null) {
        kept.add(new Passage(p.passageId(), p.documentId(), p.title(), p.section(), p.url(), cleaned, p.score()));
        verdict = new ScanVerdict(SCANNER, GuardAction.REDACT, verdict.score(), verdict.reasons());
      }
      flagged.add(new Flagged(p.passageId(), p.documentId(), verdict));
      count(verdict.action());
      log.warn("retrieved passage {} of {} carries instructions for the model ({}): {}",
          p.passageId(), p.documentId(), String.join(",", verdict.reasons()),
          cleaned == null ? "dropped" : "neutralised");
    }
    return new Result(kept, flagged);
  }

  /**
   * The passage without the sentences that carry instructions, or null when too little is left
   * to be worth keeping (under half) or an encoded payload carried them (it cannot be cut out).
   */
  public String neutralise(String text) {
    List<String> sentences = sentences(text);
    StringBuilder out = new StringBuilder();
    int removed = 0;
    int removedChars = 0;
    for (String sentence : sentences) {
      if (reasons(sentence).isEmpty()) {
        out.append(sentence);
      } else {
        removed++;
        removedChars += sentence.length();
        out.append(NEUTRALISED).append(sentence.endsWith("\n") ? "\n" : " ");
      }
    }
    if (removed == 0 || removedChars * 2 > text.length() || !reasons(out.toString()).isEmpty()) {
      return null;
    }
    return out.toString().strip();
  }

  private List<String> reasons(String text) {
    Normaliser.Normalised n = normaliser.normalise(text);
    List<String> reasons = new ArrayList<>();
    for (RuleSet.Hit hit : GuardRules.PASSAGE.match(n, n.text())) {
      for (String r : hit.reasons()) {
        if (!reasons.contains(r)) {
          reasons.add(r);
        }
      }
    }
    return reasons;
  }

  /** Sentences with their trailing punctuation and space, so that joining them gives the text. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean end = c == '\n' || ((c == '.' || c == '!' || c == '?')
          && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1))));
      if (end) {
        int j = i + 1;
        while (j < text.length() && text.charAt(j) == ' ') {
          j++;
        }
        out.add(text.substring(start, j));
        start = j;
        i = j - 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  private void count(GuardAction action) {
    if (verdicts != null) {
      verdicts.add(1, Attributes.of(InputGuard.SCANNER, SCANNER, InputGuard.ACTION,
          action.name().toLowerCase(Locale.ROOT), InputGuard.STAGE, "retrieval"));
    }
  }
}
