package dev.supportagent.activities.model.gateway;

import java.util.List;

/**
 * What one gateway call cost and how it went; it carries no prompt or answer text, so it can be
 * logged and recorded as is.
 *
 * @param provider the provider that answered ({@code openai}, {@code anthropic}, {@code offline})
 * @param model the model that answered
 * @param tier the tier the call was made for
 * @param tokensIn input tokens: the provider's count, or an estimate when it sent none
 * @param tokensOut output tokens, likewise
 * @param tokensEstimated whether either count is an estimate (a local tokenizer, not the model's)
 *     because the provider reported no usage
 * @param costUsd the price table's cost of the tokens; 0 when the model is not in the table
 * @param priced whether the model was found in the price table (offline is free, so priced)
 * @param latencyMs from the call to the last token, fallbacks included
 * @param attempts requests made to providers, retries and failed entries included; the offline
 *     answer counts as one
 * @param fallbacks the entries given up on before the one that answered, in order
 */
public record ModelCall(
    String provider,
    String model,
    ModelTier tier,
    long tokensIn,
    long tokensOut,
    boolean tokensEstimated,
    double costUsd,
    boolean priced,
    long latencyMs,
    int attempts,
    List<Fallback> fallbacks) {

  public ModelCall {
    fallbacks = List.copyOf(fallbacks);
  }

  /**
   * An entry the call moved past.
   *
   * @param endpoint the entry as configured ({@link ModelEndpoint#spec()})
   * @param reason why, for example {@code http 500}, {@code circuit open}, {@code timeout: no
   *     token within 20000 ms}
   * @param attempts requests made to it (0 when it was skipped)
   */
  public record Fallback(String endpoint, String reason, int attempts) {}
}
