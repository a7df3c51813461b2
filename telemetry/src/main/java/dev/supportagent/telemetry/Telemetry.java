package dev.supportagent.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A process's OpenTelemetry SDK, shared by the worker and the API. Metrics are scraped in Prometheus format from {@code /metrics};
 * traces (and metrics) go out over OTLP when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set. Every
 * standard {@code OTEL_*} variable is honoured by the SDK's autoconfiguration.
 */
public final class Telemetry implements AutoCloseable {

  static final String INSTRUMENTATION = "dev.supportagent";

  private final OpenTelemetrySdk sdk;
  private final PrometheusMetricReader prometheus;

  private Telemetry(OpenTelemetrySdk sdk, PrometheusMetricReader prometheus) {
    this.sdk = sdk;
    this.prometheus = prometheus;
  }

  /**
   * A process's telemetry on an SDK built elsewhere, whose meter provider reads metrics with {@code
   * prometheus}: for tests that export spans to memory. {@link #close} closes {@code sdk}.
   */
  public static Telemetry of(OpenTelemetrySdk sdk, PrometheusMetricReader prometheus) {
    return new Telemetry(sdk, prometheus);
  }

  public static Telemetry create(String serviceName, Map<String, String> env) {
    PrometheusMetricReader prometheus = PrometheusMetricReader.create();
    String exporter = env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") ? "otlp" : "none";
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", serviceName);
    properties.put("otel.traces.exporter", exporter);
    properties.put("otel.metrics.exporter", exporter);
    properties.put("otel.logs.exporter", "none");
    // OTEL_FOO_BAR from the given map becomes otel.foo.bar, so tests can configure without
    // touching the process environment (which the SDK reads as well, and which wins)
    env.forEach(
        (key, value) -> {
          if (key.startsWith("OTEL_")) {
            properties.put(key.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .addMeterProviderCustomizer((builder, config) -> builder.registerMetricReader(prometheus))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new Telemetry(sdk, prometheus);
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public Meter meter() {
    return sdk.getMeter(INSTRUMENTATION);
  }

  public Tracer tracer() {
    return sdk.getTracer(INSTRUMENTATION);
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** Writes the current metrics in the Prometheus text format. */
  public void writeMetrics(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, prometheus.collect());
  }

  /** Flushes what is buffered (spans, OTLP metrics) and stops the exporters. */
  @Override
  public void close() {
    sdk.close();
  }
}
