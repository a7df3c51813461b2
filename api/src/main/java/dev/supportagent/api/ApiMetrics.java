package dev.supportagent.api;

import dev.supportagent.workflows.conversation.AgentReply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API's own measurements (Prometheus names in brackets): the turn as the client sees it, total
 * and by stage ({@code support_turn_duration_seconds}, {@code stage}); the time from the message
 * request to the first token event relayed ({@code support_turn_first_token_duration_seconds},
 * {@code tier} and {@code provider} of the reply); ratings ({@code support_feedback_total}, {@code
 * rating}); and the agents' actions on escalations ({@code support_escalation_actions_total},
 * {@code action}).
 */
public final class ApiMetrics {

  static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  static final AttributeKey<String> TIER = AttributeKey.stringKey("tier");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");
  static final AttributeKey<String> RATING = AttributeKey.stringKey("rating");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("action");
  private static final List<Double> BOUNDARIES =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);
  /** A reply's tier and provider are short words; anything else is not a label value. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]{1,40}");

  private final DoubleHistogram turnLatency;
  private final DoubleHistogram firstToken;
  private final LongCounter feedback;
  private final LongCounter escalationActions;

  public ApiMetrics(Meter meter) {
    this.turnLatency =
        meter
            .histogramBuilder("support.turn.duration")
            .setDescription("Turn latency seen by the API, total and by stage")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
    this.firstToken =
        meter
            .histogramBuilder("support.turn.first_token.duration")
            .setDescription("From the message request to the first token event sent to the client, by tier and provider")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
    this.feedback =
        meter.counterBuilder("support.feedback").setDescription("Customer ratings of replies, by rating").build();
    this.escalationActions =
        meter
            .counterBuilder("support.escalation.actions")
            .setDescription("Agents' actions on escalations (claim, reply, resolve) that succeeded")
            .build();
  }

  public void recordTurn(long totalNanos, AgentReply reply) {
    turnLatency.record(totalNanos / 1e9, Attributes.of(STAGE, "total"));
    for (Map.Entry<String, Long> stage : reply.stagesMs().entrySet()) {
      turnLatency.record(stage.getValue() / 1e3, Attributes.of(STAGE, stage.getKey()));
    }
  }

  /** The first token reached the client {@code nanos} after the message request. */
  public void recordFirstToken(long nanos, AgentReply reply) {
    firstToken.record(nanos / 1e9, Attributes.of(TIER, label(reply.tier()), PROVIDER, label(reply.provider())));
  }

  /** A rating, {@code up} or {@code down}, was recorded. */
  public void recordFeedback(String rating) {
    feedback.add(1, Attributes.of(RATING, label(rating)));
  }

  /** An agent's {@code claim}, {@code reply} or {@code resolve} succeeded. */
  public void recordEscalationAction(String action) {
    escalationActions.add(1, Attributes.of(ACTION, label(action)));
  }

  private static String label(String value) {
    if (value == null || value.isEmpty()) {
      return "none";
    }
    return LABEL.matcher(value).matches() ? value : "other";
  }
}
