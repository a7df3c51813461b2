package dev.supportagent.activities.retrieval.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.model.gateway.FakeModelServer;
import dev.supportagent.activities.retrieval.rerank.Reranker.Scored;
import dev.supportagent.workflows.retrieval.Passage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three re-rank protocols against a local server: what is sent, and how the answer is read. */
class RerankersTest {

  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<Passage> PASSAGES =
      List.of(
          passage("refunds.md#0", "Refunds", "Refunds are paid within 5 days."),
          passage("shipping.md#0", "Shipping", "Parcels ship from Rotterdam."),
          passage("cancel.md#0", "Cancel a subscription", "Open Settings and choose Cancel plan."));

  final FakeModelServer server;

  RerankersTest() throws IOException {
    server = new FakeModelServer();
  }

  @AfterEach
  void close() {
    server.close();
  }

  static Passage passage(String id, String title, String text) {
    return new Passage(id, id.substring(0, id.indexOf('#')), title, null, null, text, 0.03);
  }

  /** The server's root: the fake's base URL without its {@code /v1}. */
  String root() {
    return server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());
  }

  static FakeModelServer.Script json(String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  JsonNode onlyRequestBody() throws Exception {
    assertEquals(1, server.requestCount());
    return JSON.readTree(server.requests().get(0).body());
  }

  @Test
  void should_send_cohere_request_and_order_by_relevance_score_when_cohere_answers() throws Exception {
    server.enqueue(json(
        "{\"id\":\"r1\",\"results\":[{\"index\":2,\"relevance_score\":0.91},{\"index\":0,\"relevance_score\":0.42},"
            + "{\"index\":1,\"relevance_score\":0.02}],\"meta\":{\"billed_units\":{\"search_units\":1}}}"));
    Reranker cohere = new CohereReranker("rerank-english-v3.0", root(), "co-key", TIMEOUT);

    List<Scored> scored = cohere.rerank("how do I cancel?", PASSAGES);

    assertEquals(List.of(new Scored(2, 0.91), new Scored(0, 0.42), new Scored(1, 0.02)), scored);
    FakeModelServer.Request request = server.requests().get(0);
    assertEquals("/v1/rerank", request.path());
    assertEquals("Bearer co-key", request.header("Authorization"));
    JsonNode body = onlyRequestBody();
    assertEquals("rerank-english-v3.0", body.get("model").asText());
    assertEquals("how do I cancel?", body.get("query").asText());
    assertEquals(3, body.get("top_n").asInt());
    assertEquals(3, body.get("documents").size());
    // the model reads the title with the text, as the chunk was embedded
    assertEquals("Cancel a subscription\nOpen Settings and choose Cancel plan.", body.get("documents").get(2).asText());
    assertEquals("cohere:rerank-english-v3.0", cohere.name());
  }

  @Test
  void should_send_jina_request_and_sort_its_results_when_jina_answers_out_of_order() throws Exception {
    server.enqueue(json(
        "{\"model\":\"jina-reranker-v2-base-multilingual\",\"usage\":{\"total_tokens\":40},\"results\":["
            + "{\"index\":1,\"relevance_score\":0.10},{\"index\":0,\"relevance_score\":0.75},"
            + "{\"index\":2,\"relevance_score\":0.30}]}"));
    // a base URL ending in /v1 is taken as the root's /v1, not doubled
    Reranker jina = new JinaReranker("jina-reranker-v2-base-multilingual", server.baseUrl(), "jina-key", TIMEOUT);

    List<Scored> scored = jina.rerank("refund time", PASSAGES);

    assertEquals(List.of(new Scored(0, 0.75), new Scored(2, 0.30), new Scored(1, 0.10)), scored);
    assertEquals("/v1/rerank", server.requests().get(0).path());
    assertEquals("Bearer jina-key", server.requests().get(0).header("Authorization"));
    JsonNode body = onlyRequestBody();
    assertEquals("jina-reranker-v2-base-multilingual", body.get("model").asText());
    assertEquals(3, body.get("documents").size());
    assertEquals(false, body.get("return_documents").asBoolean());
  }

  @Test
  void should_send_tei_request_without_model_or_key_when_tei_has_none() throws Exception {
    server.enqueue(json("[{\"index\":1,\"score\":0.98},{\"index\":2,\"score\":0.5},{\"index\":0,\"score\":0.01}]"));
    Reranker tei = new TeiReranker(root(), null, TIMEOUT);

    List<Scored> scored = tei.rerank("where do parcels ship from?", PASSAGES);

    assertEquals(List.of(new Scored(1, 0.98), new Scored(2, 0.5), new Scored(0, 0.01)), scored);
    assertEquals("/rerank", server.requests().get(0).path());
    assertNull(server.requests().get(0).header("Authorization"));
    JsonNode body = onlyRequestBody();
    assertEquals("where do parcels ship from?", body.get("query").asText());
    assertEquals(3, body.get("texts").size());
    assertTrue(body.get("truncate").asBoolean());
    assertNull(body.get("model"));
  }

  @Test
  void should_fail_when_answer_scores_a_passage_twice_or_leaves_one_out() {
    server.enqueue(json("[{\"index\":1,\"score\":0.9},{\"index\":1,\"score\":0.8},{\"index\":0,\"score\":0.1}]"));
    server.enqueue(json("[{\"index\":0,\"score\":0.9}]"));
    server.enqueue(json("[{\"index\":7,\"score\":0.9},{\"index\":1,\"score\":0.8},{\"index\":0,\"score\":0.1}]"));
    Reranker tei = new TeiReranker(root(), null, TIMEOUT);

    for (int i = 0; i < 3; i++) {
      assertThrows(Reranker.RerankerException.class, () -> tei.rerank("q", PASSAGES));
    }
  }

  @Test
  void should_fail_with_status_when_server_answers_error() {
    server.enqueue(FakeModelServer.status(429), FakeModelServer.status(500));
    Reranker cohere = new CohereReranker("rerank-english-v3.0", root(), "k", TIMEOUT);

    var tooMany = assertThrows(Reranker.RerankerException.class, () -> cohere.rerank("q", PASSAGES));
    var broken = assertThrows(Reranker.RerankerException.class, () -> cohere.rerank("q", PASSAGES));

    assertTrue(tooMany.getMessage().contains("HTTP 429"), tooMany.getMessage());
    assertTrue(broken.getMessage().contains("HTTP 500"), broken.getMessage());
    // one request per call: the client never retries
    assertEquals(2, server.requestCount());
  }

  @Test
  void should_not_call_server_when_there_are_no_passages() throws Exception {
    assertEquals(List.of(), new TeiReranker(root(), null, TIMEOUT).rerank("q", List.of()));
    assertEquals(0, server.requestCount());
  }
}
