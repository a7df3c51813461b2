package dev.supportagent.activities.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.supportagent.workflows.escalation.EscalationSla;
import dev.supportagent.workflows.escalation.EscalationStatus;
import dev.supportagent.workflows.escalation.EscalationTicket;
import dev.supportagent.workflows.escalation.EscalationView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Escalation notifications POSTed to a webhook: the body, and which failures Temporal retries. */
class EscalationWebhookTest {

  final ObjectMapper json = new ObjectMapper();
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(204);
  HttpServer server;

  static final EscalationView VIEW =
      new EscalationView(
          new EscalationTicket("escalation-conversation-1-1", "conversation-1", "alice", "customer_request", 3,
              "Customer alice, 2 turn(s).", List.of("billing/refunds.md"), 1_000, EscalationSla.DEFAULT),
          EscalationStatus.OPEN, 4, null, List.of("first_response"), 0, false, null);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(status.get(), -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  RedisEscalationActivities activities() {
    return new RedisEscalationActivities(
        null, json, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
  }

  @Test
  void should_post_the_event_without_the_conversation_text() throws Exception {
    activities().notify("first_response_breached", VIEW);

    JsonNode sent = json.readTree(bodies.get(0));
    assertEquals("first_response_breached", sent.get("event").asText());
    assertEquals("escalation-conversation-1-1", sent.get("escalationId").asText());
    assertEquals(4, sent.get("priority").asInt());
    assertTrue(!bodies.get(0).contains("Customer alice, 2 turn(s)"), "no summary, no transcript");
  }

  @Test
  void should_fail_for_temporal_to_retry_on_a_server_error_and_drop_a_client_error() {
    status.set(503);
    assertThrows(IllegalStateException.class, () -> activities().notify("created", VIEW));

    status.set(400);
    activities().notify("created", VIEW); // logged and dropped: sending it again cannot help
    assertEquals(2, bodies.size());
  }
}
