package dev.supportagent.workflows.answer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.conversation.Citation;
import java.util.List;
import java.util.Map;

/**
 * @param declined the answerer found nothing to answer from and said so
 * @param provider who answered: {@code openai}, {@code anthropic} or {@code offline}
 * @param attempts requests made to model providers (retries and failed entries included)
 * @param fallbacks the chain entries given up on before the one that answered, with the reason
 *     ({@code "openai:gpt-4o-mini: http 503"})
 * @param groundingScore how well the passages support the reply, 0 to 1 (the output guard's
 *     grounding scanner), or null when it was not measured (offline and cached answers)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GeneratedAnswer(
    String text,
    List<Citation> citations,
    boolean declined,
    String model,
    String tier,
    String promptVersion,
    long tokensIn,
    long tokensOut,
    double costUsd,
    long durationMs,
    String provider,
    int attempts,
    List<String> fallbacks,
    Double groundingScore,
    Map<String, Long> timeline) {

  public GeneratedAnswer {
    citations = citations == null ? List.of() : List.copyOf(citations);
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    timeline = timeline == null ? Map.of() : timeline;
  }

  public GeneratedAnswer(
      String text, List<Citation> citations, boolean declined, String model, String tier,
      String promptVersion, long tokensIn, long tokensOut, double costUsd, long durationMs,
      String provider, int attempts, List<String> fallbacks, Double groundingScore) {
    this(text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, durationMs,
        provider, attempts, fallbacks, groundingScore, Map.of());
  }

  public GeneratedAnswer(
      String text, List<Citation> citations, boolean declined, String model, String tier,
      String promptVersion, long tokensIn, long tokensOut, double costUsd, long durationMs) {
    this(text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, durationMs,
        "offline", 1, List.of(), null);
  }

  public GeneratedAnswer(
      String text, List<Citation> citations, boolean declined, String model, String tier,
      String promptVersion, long tokensIn, long tokensOut, double costUsd, long durationMs,
      String provider, int attempts, List<String> fallbacks) {
    this(text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, durationMs,
        provider, attempts, fallbacks, null);
  }

  public GeneratedAnswer withGrounding(Double score) {
    return new GeneratedAnswer(
        text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, durationMs,
        provider, attempts, fallbacks, score, timeline);
  }

  public GeneratedAnswer withDuration(long ms) {
    return new GeneratedAnswer(
        text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, ms,
        provider, attempts, fallbacks, groundingScore, timeline);
  }

  /**
   * With the answer's own steps (epoch milliseconds, the worker's clock): {@code answer_started},
   * {@code model_called} (the gateway asked), {@code first_token_streamed} (the first sentence
   * appended to the answer stream), {@code generation_done}.
   */
  public GeneratedAnswer withTimeline(Map<String, Long> steps) {
    return new GeneratedAnswer(
        text, citations, declined, model, tier, promptVersion, tokensIn, tokensOut, costUsd, durationMs,
        provider, attempts, fallbacks, groundingScore, steps == null ? Map.of() : new java.util.LinkedHashMap<>(steps));
  }
}
