package dev.supportagent.activities.model;

import dev.supportagent.activities.model.gateway.ModelCall;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Model calls on {@code /metrics}: calls by provider, model and tier; tokens by direction; cost;
 * fallbacks by reason class; and the router's choices.
 */
public final class ModelMetrics {

  private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("model");
  private static final AttributeKey<String> TIER = AttributeKey.stringKey("tier");
  private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final LongCounter calls;
  private final LongCounter tokens;
  private final DoubleCounter cost;
  private final LongCounter fallbacks;

  public ModelMetrics(OpenTelemetry telemetry) {
    Meter meter = telemetry.getMeter("dev.supportagent");
    calls = meter.counterBuilder("support.model.calls").setDescription("Answers by the model that gave them").build();
    tokens = meter.counterBuilder("support.model.tokens").setDescription("Model tokens, in and out").build();
    cost = meter.counterBuilder("support.model.cost").ofDoubles().setUnit("USD").setDescription("Model cost").build();
    fallbacks =
        meter.counterBuilder("support.model.fallbacks").setDescription("Chain entries given up on, by reason").build();
  }

  public void record(ModelCall call, String tierLabel) {
    Attributes who = Attributes.of(PROVIDER, call.provider(), MODEL, call.model(), TIER, tierLabel);
    calls.add(1, who);
    tokens.add(call.tokensIn(), who.toBuilder().put(DIRECTION, "in").build());
    tokens.add(call.tokensOut(), who.toBuilder().put(DIRECTION, "out").build());
    cost.add(call.costUsd(), who);
    for (ModelCall.Fallback f : call.fallbacks()) {
      fallbacks.add(1, Attributes.of(PROVIDER, f.endpoint().split(":")[0], REASON, reasonClass(f.reason())));
    }
  }

  /** The reason without numbers and details, so the label's values stay few. */
  static String reasonClass(String reason) {
    String r = reason.toLowerCase(java.util.Locale.ROOT);
    if (r.startsWith("http ")) {
      return r.length() >= 6 ? "http_" + r.charAt(5) + "xx" : "http";
    }
    if (r.contains("circuit")) {
      return "circuit_open";
    }
    if (r.contains("timeout") || r.contains("deadline")) {
      return "timeout";
    }
    if (r.contains("stream")) {
      return "broken_stream";
    }
    return "other";
  }
}
