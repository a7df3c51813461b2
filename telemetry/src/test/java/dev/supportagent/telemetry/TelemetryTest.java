package dev.supportagent.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  @Test
  void should_expose_recorded_metrics_in_the_prometheus_format() throws Exception {
    try (Telemetry telemetry = Telemetry.create("test", Map.of())) {
      telemetry.meter().counterBuilder("support.test.events").build().add(3);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      telemetry.writeMetrics(out);

      String text = out.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("support_test_events_total"), text);
      assertTrue(text.contains(" 3.0"), text);
    }
  }

  @Test
  void should_export_spans_over_otlp_when_an_endpoint_is_set() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.add(ex.getRequestURI().getPath() + " " + body.length);
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    collector.start();
    try {
      String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
      Telemetry telemetry =
          Telemetry.create(
              "test", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
      telemetry.tracer().spanBuilder("a turn").startSpan().end();

      telemetry.close();

      assertTrue(
          received.stream().anyMatch(r -> r.startsWith("/v1/traces ") && !r.endsWith(" 0")), received.toString());
    } finally {
      collector.stop(0);
    }
  }
}
