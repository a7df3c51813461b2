package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.model.gateway.FakeModelServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An OpenAI-compatible {@code /v1/embeddings} server embedding queries and documents. */
class RemoteEmbeddingsTest {

  static final int DIMS = 8;
  static final ObjectMapper JSON = new ObjectMapper();

  final FakeModelServer server;

  RemoteEmbeddingsTest() throws IOException {
    server = new FakeModelServer();
  }

  @AfterEach
  void close() {
    server.close();
  }

  /**
   * Answers each input with a vector of {@link #DIMS} numbers, the i-th input's all {@code i + 1}
   * (the request as the server recorded it: it has read the body already).
   */
  FakeModelServer.Script vectors() {
    return exchange -> {
      List<FakeModelServer.Request> requests = server.requests();
      JsonNode request = JSON.readTree(requests.get(requests.size() - 1).body());
      JsonNode input = request.get("input");
      int n = input.isArray() ? input.size() : 1;
      String data =
          IntStream.range(0, n)
              .mapToObj(i -> "{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":"
                  + IntStream.range(0, DIMS).mapToObj(d -> String.valueOf(i + 1.0)).collect(Collectors.joining(",", "[", "]"))
                  + "}")
              .collect(Collectors.joining(","));
      byte[] body =
          ("{\"object\":\"list\",\"data\":[" + data + "],\"model\":" + request.get("model")
              + ",\"usage\":{\"prompt_tokens\":" + n + ",\"total_tokens\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  EmbeddingConfig config(String key) {
    Map<String, String> env =
        key == null
            ? Map.of("SUPPORT_EMBEDDINGS", "openai:bge-small-test@" + server.baseUrl())
            : Map.of("SUPPORT_EMBEDDINGS", "openai:bge-small-test@" + server.baseUrl(), "OPENAI_API_KEY", key);
    return EmbeddingConfig.fromEnv(env);
  }

  @Test
  void should_embed_query_with_remote_model_when_embeddings_are_openai() throws Exception {
    server.enqueue(vectors());
    EmbeddingModel queries = Embeddings.queries(config(null));

    float[] vector = queries.embed("how do I cancel my subscription?").content().vector();

    assertEquals(DIMS, vector.length);
    assertEquals(1.0f, vector[0]);
    FakeModelServer.Request request = server.requests().get(0);
    assertEquals("/v1/embeddings", request.path());
    assertNull(request.header("Authorization"), "a server given by base URL needs no key");
    JsonNode body = JSON.readTree(request.body());
    assertEquals("bge-small-test", body.get("model").asText());
    assertEquals("how do I cancel my subscription?", body.get("input").get(0).asText());
  }

  @Test
  void should_embed_documents_in_one_request_with_key_when_batch_is_given() throws Exception {
    server.enqueue(vectors());
    EmbeddingModel documents = Embeddings.documents(config("sk-test"));

    List<Embedding> vectors =
        documents.embedAll(List.of(TextSegment.from("Refunds\nPaid in 5 days."), TextSegment.from("Shipping\nFrom Rotterdam.")))
            .content();

    assertEquals(2, vectors.size());
    assertEquals(DIMS, vectors.get(1).dimension());
    assertEquals(2.0f, vectors.get(1).vector()[0], "each text gets its own vector, in order");
    assertEquals(1, server.requestCount());
    assertEquals("Bearer sk-test", server.requests().get(0).header("Authorization"));
    assertEquals(2, JSON.readTree(server.requests().get(0).body()).get("input").size());
  }

  @Test
  void should_learn_dimension_from_model_when_model_is_unknown_to_client() {
    server.enqueue(vectors());

    // the index mapping's dims follow this
    assertEquals(DIMS, Embeddings.documents(config(null)).dimension());
  }

  @Test
  void should_fail_after_one_request_when_server_answers_500() {
    server.enqueue(FakeModelServer.status(500), vectors());
    EmbeddingModel queries = Embeddings.queries(config(null));

    assertThrows(RuntimeException.class, () -> queries.embed("q"));
    // no client retry: Temporal retries the activity
    assertEquals(1, server.requestCount());
  }
}
