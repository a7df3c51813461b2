package dev.supportagent.api;

import dev.supportagent.workflows.conversation.AgentReply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;

/** The API's own measurements of a turn: the whole turn as the client sees it, and its stages. */
public final class ApiMetrics {

  private static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  private static final List<Double> BOUNDARIES =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);

  private final DoubleHistogram turnLatency;

  public ApiMetrics(Meter meter) {
    this.turnLatency =
        meter
            .histogramBuilder("support.turn.duration")
            .setDescription("Turn latency seen by the API, total and by stage")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
  }

  public void recordTurn(long totalNanos, AgentReply reply) {
    turnLatency.record(totalNanos / 1e9, Attributes.of(STAGE, "total"));
    for (Map.Entry<String, Long> stage : reply.stagesMs().entrySet()) {
      turnLatency.record(stage.getValue() / 1e3, Attributes.of(STAGE, stage.getKey()));
    }
  }
}
