package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The answer to one {@link UserTurn}.
 *
 * @param blocked the input was refused by a check; {@code reason} says which kind
 * @param escalated the conversation was handed to a human
 * @param reason machine-readable reason for a blocked, escalated or degraded reply, else null
 * @param latencyMs workflow time from receiving the message to replying
 * @param stagesMs time spent in each stage (input_check, retrieval, generation, output_filter)
 * @param provider who answered ({@code openai}, {@code anthropic}, {@code offline}), or null
 * @param attempts requests made to model providers for this reply
 * @param fallbacks model chain entries given up on before the one that answered, with reasons
 * @param timeline when each step of the turn ended (epoch milliseconds): {@code handler_started} (the
 *     workflow task's start, the server's clock), {@code input_check_done}, {@code retrieval_done},
 *     {@code answer_started}, {@code model_called}, {@code first_token_streamed}, {@code
 *     generation_done}, {@code output_filter_done} (the worker's clock, as each stage reports it);
 *     the steps a turn took
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentReply(
    String turnId,
    String messageId,
    String text,
    List<Citation> citations,
    boolean blocked,
    boolean escalated,
    String reason,
    String model,
    String tier,
    String promptVersion,
    long tokensIn,
    long tokensOut,
    double costUsd,
    long latencyMs,
    Map<String, Long> stagesMs,
    String provider,
    int attempts,
    List<String> fallbacks,
    Map<String, Long> timeline) {

  public AgentReply {
    citations = citations == null ? List.of() : List.copyOf(citations);
    stagesMs = stagesMs == null ? Map.of() : stagesMs;
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    timeline = timeline == null ? Map.of() : timeline;
  }

  public AgentReply(
      String turnId, String messageId, String text, List<Citation> citations, boolean blocked,
      boolean escalated, String reason, String model, String tier, String promptVersion, long tokensIn,
      long tokensOut, double costUsd, long latencyMs, Map<String, Long> stagesMs, String provider,
      int attempts, List<String> fallbacks) {
    this(turnId, messageId, text, citations, blocked, escalated, reason, model, tier, promptVersion, tokensIn,
        tokensOut, costUsd, latencyMs, stagesMs, provider, attempts, fallbacks, Map.of());
  }

  public AgentReply withTimeline(Map<String, Long> steps) {
    return new AgentReply(turnId, messageId, text, citations, blocked, escalated, reason, model, tier,
        promptVersion, tokensIn, tokensOut, costUsd, latencyMs, stagesMs, provider, attempts, fallbacks,
        steps == null ? Map.of() : new java.util.LinkedHashMap<>(steps));
  }
}
