package dev.supportagent.activities.model.cache;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/** A real OpenTelemetry meter whose {@code support_answer_cache_lookups} counter tests can read. */
final class LookupCounter implements MetricReader {

  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(this).build();

  Meter meter() {
    return provider.get("test");
  }

  /** Lookups counted so far with {@code result}. */
  long count(String result) {
    long n = 0;
    for (MetricData m : registration.collectAllMetrics()) {
      if (m.getName().equals(AnswerCacheMetrics.LOOKUPS)) {
        for (LongPointData p : m.getLongSumData().getPoints()) {
          if (result.equals(p.getAttributes().get(AnswerCacheMetrics.RESULT))) {
            n += p.getValue();
          }
        }
      }
    }
    return n;
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
