package dev.supportagent.activities.filter;

import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.OutputFilterResult;
import dev.supportagent.workflows.guard.ScanVerdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.ArrayList;
import java.util.List;

/**
 * The output guard: an ordered chain of {@link OutputScanner}s over a reply, before it reaches the
 * customer. Each scanner sees the text as the earlier ones left it (masked, markers dropped,
 * truncated); a scanner that asks to replace or escalate ends the chain, and the reply becomes the
 * configured safe answer or hand-over message. The result's action is the strictest (BLOCK over
 * ESCALATE over REDACT over ALLOW). Every verdict is counted in {@code support_guard_verdicts}
 * with {@code scanner}, {@code action}, {@code fired} and {@code stage=output}; verdicts carry
 * types and rule names, never the values. Thread-safe; linear in the reply and the passages.
 */
public final class OutputGuard {

  public static final String METRIC = "support_guard_verdicts";
  static final AttributeKey<String> SCANNER = AttributeKey.stringKey("scanner");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("action");
  static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  static final AttributeKey<Boolean> FIRED = AttributeKey.booleanKey("fired");

  /**
   * What the guard checks.
   *
   * @param reply the model's reply, with the customer's own values restored and citation markers
   *     {@code [n]} numbered as the passages were shown to the model
   * @param customerMessages the customer's messages of the conversation, raw (the guard runs in
   *     the activity that holds them; values found there may appear in the reply)
   * @param passages the retrieved passages' texts, in the order the model saw them numbered
   * @param canary the system prompt's canary token, or null
   * @param systemPrompt the system prompt's text, or null
   */
  public record Input(
      String reply, List<String> customerMessages, List<String> passages, String canary, String systemPrompt) {
    public Input {
      reply = reply == null ? "" : reply;
      customerMessages = customerMessages == null ? List.of() : List.copyOf(customerMessages);
      passages = passages == null ? List.of() : List.copyOf(passages);
    }
  }

  /**
   * What the guard decided.
   *
   * @param text the reply to send: the original, masked or truncated, or the safe answer
   * @param action the strictest verdict's action
   * @param verdicts each scanner's verdict, in chain order (those after a replace or escalate did
   *     not run)
   * @param groundingScore the grounding scanner's score, or null when it did not run or there were
   *     no passages
   */
  public record Outcome(String text, GuardAction action, List<ScanVerdict> verdicts, Double groundingScore) {
    public Outcome {
      verdicts = List.copyOf(verdicts);
    }

    /** The first reason of the verdict that decided the action, or null when everything passed. */
    public String reason() {
      return verdicts.stream()
          .filter(v -> v.action() == action && !v.reasons().isEmpty())
          .map(v -> v.scanner() + ":" + v.reasons().get(0))
          .findFirst()
          .orElse(null);
    }

    /** The kinds of values masked by {@code pii_leak}, for {@link OutputFilterResult#maskedTypes()}. */
    public List<String> maskedTypes() {
      return verdicts.stream()
          .filter(v -> v.scanner().equals(PiiLeakScanner.NAME) && v.action() == GuardAction.REDACT)
          .flatMap(v -> v.reasons().stream())
          .map(r -> r.substring(r.indexOf(':') + 1))
          .toList();
    }

    public OutputFilterResult toFilterResult(long durationMs) {
      return new OutputFilterResult(action, text, maskedTypes(), durationMs, verdicts);
    }
  }

  private final List<OutputScanner> scanners;
  private final String safeAnswer;
  private final String escalateAnswer;
  private final LongCounter verdicts;

  /** The chain {@code config} describes; {@code meter} counts the verdicts. */
  public OutputGuard(OutputGuardConfig config, Meter meter) {
    this(scanners(config), config.safeAnswer(), config.escalateAnswer(), meter);
  }

  /** A chain of the given scanners, in order. */
  public OutputGuard(List<OutputScanner> scanners, String safeAnswer, String escalateAnswer, Meter meter) {
    this.scanners = List.copyOf(scanners);
    this.safeAnswer = safeAnswer;
    this.escalateAnswer = escalateAnswer;
    this.verdicts =
        meter.counterBuilder(METRIC)
            .setDescription("Guard scanner verdicts, by scanner, action, whether it fired, and stage")
            .build();
  }

  public Outcome check(Input input) {
    String text = input.reply();
    List<ScanVerdict> out = new ArrayList<>(scanners.size());
    GuardAction strictest = GuardAction.ALLOW;
    Double grounding = null;
    for (OutputScanner scanner : scanners) {
      OutputScanner.Result result = scanner.scan(input, text);
      ScanVerdict verdict = result.verdict();
      out.add(verdict);
      count(verdict);
      if (scanner.name().equals(GroundingScanner.NAME) && !verdict.reasons().contains("no_passages")) {
        grounding = verdict.score();
      }
      strictest = stricter(strictest, verdict.action());
      switch (verdict.action()) {
        case BLOCK -> {
          return new Outcome(safeAnswer, GuardAction.BLOCK, out, grounding);
        }
        case ESCALATE -> {
          return new Outcome(escalateAnswer, GuardAction.ESCALATE, out, grounding);
        }
        case REDACT -> text = result.text();
        case ALLOW -> { }
      }
    }
    return new Outcome(text, strictest, out, grounding);
  }

  private void count(ScanVerdict v) {
    verdicts.add(
        1,
        Attributes.of(
            SCANNER, v.scanner(), ACTION, v.action().name().toLowerCase(java.util.Locale.ROOT),
            FIRED, !v.reasons().isEmpty(), STAGE, "output"));
  }

  /** BLOCK over ESCALATE over REDACT over ALLOW. */
  static GuardAction stricter(GuardAction a, GuardAction b) {
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(GuardAction a) {
    return switch (a) {
      case ALLOW -> 0;
      case REDACT -> 1;
      case ESCALATE -> 2;
      case BLOCK -> 3;
    };
  }

  static List<OutputScanner> scanners(OutputGuardConfig c) {
    List<OutputScanner> chain = new ArrayList<>();
    for (String name : c.scanners()) {
      chain.add(
          switch (name) {
            case PromptLeakScanner.NAME -> new PromptLeakScanner(c.promptLeakAction(), c.promptLeakNgramWords());
            case HarmfulOutputScanner.NAME -> new HarmfulOutputScanner(c.harmfulOutputAction());
            case PiiLeakScanner.NAME ->
                new PiiLeakScanner(PiiDetector.builder().types(c.piiLeakTypes()).build(), c.piiLeakAction());
            case CitationScanner.NAME -> new CitationScanner(c.citationsAction());
            case GroundingScanner.NAME ->
                new GroundingScanner(c.groundingAction(), c.groundingMinScore(), c.groundingMinSentenceSupport());
            case LengthScanner.NAME -> new LengthScanner(c.lengthAction(), c.lengthMaxChars());
            default -> throw new IllegalArgumentException("unknown output scanner " + name);
          });
    }
    return chain;
  }
}
