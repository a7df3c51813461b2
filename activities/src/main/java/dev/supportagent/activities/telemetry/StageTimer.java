package dev.supportagent.activities.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times the stages of a turn: records them in one histogram, by stage, and traces each as a span
 * ({@code support.stage}, attribute {@code stage}).
 */
public final class StageTimer {

  public static final String METRIC = "support.turn.stage.duration";
  private static final String INSTRUMENTATION = "dev.supportagent";
  private static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  private static final List<Double> BOUNDARIES =
      List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  private final DoubleHistogram histogram;
  private final Tracer tracer;

  public StageTimer(OpenTelemetry telemetry) {
    Meter meter = telemetry.getMeter(INSTRUMENTATION);
    this.tracer = telemetry.getTracer(INSTRUMENTATION);
    this.histogram =
        meter
            .histogramBuilder(METRIC)
            .setDescription("Time spent in each stage of a support turn")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
  }

  /** The result of a timed stage, how long it took, and when it ended (epoch milliseconds). */
  public record Timed<T>(T value, long durationMs, long endedAtMs) {}

  /** Runs {@code work}, records its duration under {@code stage}, and returns both. */
  public <T> Timed<T> time(String stage, Supplier<T> work) {
    long start = System.nanoTime();
    Span span = tracer.spanBuilder("support.stage " + stage).setAttribute(STAGE, stage).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      T value = work.get();
      return new Timed<>(value, (System.nanoTime() - start) / 1_000_000, System.currentTimeMillis());
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
      histogram.record((System.nanoTime() - start) / 1e9, Attributes.of(STAGE, stage));
    }
  }
}
