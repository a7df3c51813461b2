package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.model.gateway.GatewayRequest;
import org.junit.jupiter.api.Test;

class ModelsBenchTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ENDPOINT = "openai:bench-fake@http://127.0.0.1:7080/v1";

  static JsonNode reply(String provider, int attempts, String... fallbacks) throws Exception {
    var node = JSON.createObjectNode().put("provider", provider).put("attempts", attempts);
    var list = node.putArray("fallbacks");
    for (String f : fallbacks) {
      list.add(ENDPOINT + ": " + f);
    }
    return JSON.readTree(node.toString());
  }

  @Test
  void should_tell_a_model_answer_at_the_first_try_from_one_after_a_retry() throws Exception {
    assertEquals("model_first_try", ModelsBench.path(reply("openai", 1)));
    assertEquals("model_after_retry", ModelsBench.path(reply("openai", 2)));
  }

  @Test
  void should_tell_an_offline_answer_after_failures_from_one_skipped_by_the_open_breaker() throws Exception {
    assertEquals("offline_after_failures", ModelsBench.path(reply("offline", 3, "http 500 after 2 attempts")));
    assertEquals("offline_after_failures", ModelsBench.path(reply("offline", 2, "circuit opened")));
    assertEquals("offline_circuit_open", ModelsBench.path(reply("offline", 1, "circuit open")));
    assertEquals("offline_no_model", ModelsBench.path(reply("offline", 1)));
  }

  @Test
  void should_ask_the_gateway_as_the_answer_activity_does() {
    GatewayRequest request = ModelsBench.gatewayRequest();

    assertEquals(ModelsBench.MAX_OUTPUT_TOKENS, request.maxTokens());
    assertTrue(request.userPrompt().contains("[5] Refunds"), "five numbered passages");
    assertTrue(request.userPrompt().endsWith("Customer question: How long do I have to ask for a refund?"));
  }
}
