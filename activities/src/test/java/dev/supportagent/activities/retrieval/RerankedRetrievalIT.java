package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.guard.PassageScanner;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.model.gateway.FakeModelServer;
import dev.supportagent.activities.retrieval.rerank.RerankerConfig;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrieval activity with a re-ranker (a local TEI stand-in) on the real Elasticsearch. */
class RerankedRetrievalIT {

  @TempDir static Path kb;
  static ElasticsearchClient es;
  static EmbeddingModel embeddings;
  static FakeModelServer tei;
  static KnowledgeBaseIndexer.Report report;
  static ElasticsearchRetrievalActivitiesImpl retrieval;

  @BeforeAll
  static void setUp() throws Exception {
    Files.writeString(kb.resolve("refunds.md"), "# Refunds\n\nRefunds are paid to your card within 5 days.");
    Files.writeString(kb.resolve("shipping.md"), "# Shipping\n\nParcels ship from Rotterdam within a day.");
    Files.writeString(kb.resolve("password.md"), "# Reset your password\n\nOpen Settings, then Security.");
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    embeddings = new AllMiniLmL6V2EmbeddingModel();
    String alias = "kb-rerank-it-" + UUID.randomUUID().toString().substring(0, 8);
    report = new KnowledgeBaseIndexer(es, embeddings, new MarkdownChunker(), alias).ingest(kb);
    tei = new FakeModelServer();
    String root = tei.baseUrl().substring(0, tei.baseUrl().length() - "/v1".length());
    retrieval =
        new ElasticsearchRetrievalActivitiesImpl(
            es, embeddings, alias, HybridRetriever.Mode.PLAIN,
            ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD,
            new StageTimer(OpenTelemetry.noop()), new PassageScanner(PassageScanner.Mode.DROP),
            RerankerConfig.fromEnv(Map.of("SUPPORT_RERANKER", "tei:@" + root)),
            OpenTelemetry.noop().getMeter("test"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (tei != null) {
      tei.close();
    }
    if (es != null) {
      if (report != null) {
        es.indices().delete(d -> d.index(report.index()));
      }
      es.close();
    }
  }

  /** A TEI answer that puts the shipping passage first, whatever the fused order. */
  static FakeModelServer.Script shippingFirst() {
    return exchange -> {
      List<FakeModelServer.Request> requests = tei.requests();
      JsonNode texts = new ObjectMapper().readTree(requests.get(requests.size() - 1).body()).get("texts");
      StringBuilder results = new StringBuilder("[");
      for (int i = 0; i < texts.size(); i++) {
        double score = texts.get(i).asText().contains("Rotterdam") ? 0.99 : 0.01 * (i + 1);
        results.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"score\":").append(score).append('}');
      }
      byte[] body = results.append(']').toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  static RetrievalResult ask(String question) {
    return retrieval.retrieve(new RetrievalRequest("c", "t", question, List.of(), 2));
  }

  @Test
  void should_return_reranked_passages_when_reranker_answers_and_fused_ones_when_it_fails() {
    tei.enqueue(FakeModelServer.status(503));
    RetrievalResult fused = ask("when are refunds paid?");
    tei.enqueue(shippingFirst());
    RetrievalResult reranked = ask("when are refunds paid?");

    assertEquals("refunds.md", fused.passages().get(0).documentId(), "the re-ranker failed: the fused order");
    assertEquals("shipping.md", reranked.passages().get(0).documentId(), "the re-ranker's order");
    assertEquals(0.99, reranked.passages().get(0).score(), 1e-9);
    assertEquals(2, reranked.passages().size());
    assertEquals(fused.bestScore(), reranked.bestScore(), 1e-9, "relevance still judged on the kNN score");
    assertTrue(reranked.relevant());
  }
}
