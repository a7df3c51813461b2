package dev.supportagent.activities.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.supportagent.workflows.escalation.EscalationSla;
import dev.supportagent.workflows.escalation.EscalationStatus;
import dev.supportagent.workflows.escalation.EscalationTicket;
import dev.supportagent.workflows.escalation.EscalationView;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Escalations counted by reason, and missed deadlines once per notification done with. */
class EscalationMetricsTest {

  final InMemoryMetricReader reader = InMemoryMetricReader.create();
  final EscalationMetrics metrics =
      new EscalationMetrics(SdkMeterProvider.builder().registerMetricReader(reader).build().get("test"));

  static EscalationView view(String reason, EscalationStatus status, String agentId, List<String> breaches) {
    return new EscalationView(
        new EscalationTicket("escalation-conversation-1-1", "conversation-1", "alice", reason, 3, "summary",
            List.of(), 1_000, EscalationSla.DEFAULT),
        status, 3, agentId, breaches, 0, false, null);
  }

  Map<Attributes, Long> counts(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  @Test
  void should_count_escalations_by_reason_and_never_an_unexpected_text_as_a_label() {
    metrics.escalated(view("negative_feedback", EscalationStatus.OPEN, null, List.of()));
    metrics.escalated(view("negative_feedback", EscalationStatus.OPEN, null, List.of()));
    metrics.escalated(view("Please call me at 555-0100!", EscalationStatus.OPEN, null, List.of()));

    assertEquals(
        Map.of(
            Attributes.of(EscalationMetrics.REASON, "negative_feedback"), 2L,
            Attributes.of(EscalationMetrics.REASON, "other"), 1L),
        counts(EscalationMetrics.ESCALATIONS));
  }

  @Test
  void should_take_only_the_first_publication_for_a_new_escalation() {
    assertTrue(RedisEscalationActivities.firstPublication(view("guard", EscalationStatus.OPEN, null, List.of())));
    assertFalse(RedisEscalationActivities.firstPublication(
        view("guard", EscalationStatus.OPEN, null, List.of("first_response"))));
    assertFalse(RedisEscalationActivities.firstPublication(view("guard", EscalationStatus.CLAIMED, "bob", List.of())));
    assertFalse(RedisEscalationActivities.firstPublication(view("guard", EscalationStatus.RESOLVED, "bob", List.of())));
  }

  @Test
  void should_count_a_missed_deadline_when_notified_without_a_webhook() {
    RedisEscalationActivities activities = new RedisEscalationActivities(null, new ObjectMapper(), null, metrics);

    activities.notify("created", view("guard", EscalationStatus.OPEN, null, List.of()));
    activities.notify("first_response_breached", view("guard", EscalationStatus.OPEN, null, List.of("first_response")));

    assertEquals(
        Map.of(Attributes.of(EscalationMetrics.DEADLINE, "first_response"), 1L), counts(EscalationMetrics.BREACHES));
  }

  @Test
  void should_count_a_missed_deadline_once_when_the_webhook_is_retried() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(status.get(), -1);
      ex.close();
    });
    server.start();
    try {
      RedisEscalationActivities activities =
          new RedisEscalationActivities(
              null, new ObjectMapper(), URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
              metrics);
      EscalationView late = view("guard", EscalationStatus.CLAIMED, "bob", List.of("resolution"));

      assertThrows(IllegalStateException.class, () -> activities.notify("resolution_breached", late));
      status.set(204);
      activities.notify("resolution_breached", late);

      assertEquals(
          Map.of(Attributes.of(EscalationMetrics.DEADLINE, "resolution"), 1L), counts(EscalationMetrics.BREACHES));
    } finally {
      server.stop(0);
    }
  }
}
