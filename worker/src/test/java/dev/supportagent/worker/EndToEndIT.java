package dev.supportagent.worker;

import dev.supportagent.telemetry.Telemetry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.guard.GuardActivitiesImpl;
import dev.supportagent.activities.guard.InputChecker;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.IngestActivitiesImpl;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.model.AnswerActivitiesImpl;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.api.ApiApp;
import dev.supportagent.api.ApiConfig;
import dev.supportagent.api.ApiKeys;
import dev.supportagent.api.ApiMain;
import dev.supportagent.api.Readiness;
import dev.supportagent.api.RedisRateLimiter;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.javalin.Javalin;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The whole path on the real servers: HTTP → API → Temporal dev server → worker → Elasticsearch
 * kNN → offline answer with citations → back; then the transcript, and the workflow found in
 * Temporal's visibility by its search attributes.
 */
class EndToEndIT {

  static final String APP_KEY = "ca_" + UUID.randomUUID();
  static final String ADMIN_KEY = "ad_" + UUID.randomUUID();
  static final ObjectMapper json = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();

  static ElasticsearchClient es;
  static String alias;
  static String kbIndex;
  static WorkflowServiceStubs service;
  static WorkflowClient temporal;
  static WorkerFactory factory;
  static RedissonClient redis;
  static Javalin api;
  static String base;

  @BeforeAll
  static void startStack() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    var embeddings = new AllMiniLmL6V2EmbeddingModel();
    alias = "kb-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    kbIndex =
        new KnowledgeBaseIndexer(es, embeddings, new MarkdownChunker(), alias)
            .ingest(Path.of("../deploy/local/sample-kb"))
            .index();

    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(IntegrationEnv.temporalAddress()).build());
    temporal = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    Telemetry telemetry = Telemetry.create("worker-e2e", Map.of());
    StageTimer timer = new StageTimer(telemetry.openTelemetry());
    factory = SupportWorkers.newFactory(temporal);
    SupportWorkers.register(
        factory,
        new SupportWorkers.Activities(
            new GuardActivitiesImpl(new InputChecker(), new OutputFilter(), timer),
            new ElasticsearchRetrievalActivitiesImpl(
                es, embeddings, alias, HybridRetriever.Mode.HYBRID_CONTEXT,
                ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD, timer),
            new AnswerActivitiesImpl(new OfflineAnswerer(), timer),
            new IngestActivitiesImpl(
                new DocumentIndexer(es, embeddings, new MarkdownChunker()), new DocumentParser(),
                Path.of("../deploy/local"))),
        4);
    factory.start();

    redis = ApiMain.redis(IntegrationEnv.redisUrl());
    ApiConfig config =
        ApiConfig.fromEnv(
            Map.of(
                "SUPPORT_API_KEYS",
                "e2e:customer_app:" + ApiKeys.sha256(APP_KEY) + ",ops:admin:" + ApiKeys.sha256(ADMIN_KEY)));
    Readiness readiness = ApiMain.readiness(service, redis, IntegrationEnv.elasticsearchUrl());
    api =
        ApiApp.create(
            config,
            new ApiApp.Dependencies(
                temporal, config.keys(), new RedisRateLimiter(redis, "e2e:" + UUID.randomUUID() + ":"),
                readiness, Telemetry.create("api-e2e", Map.of())));
    api.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (api != null) {
      api.stop();
    }
    if (factory != null) {
      factory.shutdownNow();
    }
    if (redis != null) {
      redis.shutdown();
    }
    if (es != null) {
      es.indices().delete(d -> d.index(kbIndex));
      es.close();
    }
  }

  static JsonNode call(String method, String path, String customer, Object body, int expected) throws Exception {
    return call(APP_KEY, method, path, customer, body, expected);
  }

  static JsonNode call(String key, String method, String path, String customer, Object body, int expected)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + key)
            .header("X-Customer-Id", customer)
            .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(expected, r.statusCode(), r.body());
    return json.readTree(r.body());
  }

  @Test
  void should_answer_a_help_centre_question_with_a_citation_through_every_layer() throws Exception {
    String customer = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call("POST", "/v1/conversations", customer, Map.of("customerId", customer), 201)
        .get("conversationId").asText();

    JsonNode reply = call("POST", "/v1/conversations/" + id + "/messages", customer,
        Map.of("messageId", "m-1", "text", "How do I reset my password?"), 200).get("reply");

    assertEquals("turn-1", reply.get("turnId").asText());
    assertTrue(reply.get("reason").isNull(), reply.toString());
    assertTrue(reply.get("text").asText().toLowerCase().contains("password"), reply.toString());
    assertEquals("account/reset-password.md", reply.get("citations").get(0).get("documentId").asText(), reply.toString());
    assertEquals("offline-extractive", reply.get("model").asText());

    JsonNode state = call("GET", "/v1/conversations/" + id, customer, null, 200);
    assertEquals("ACTIVE", state.get("status").asText());
    assertEquals(2, state.get("transcript").size());
    assertEquals("How do I reset my password?", state.get("transcript").get(0).get("text").asText());

    String query = "SupportStatus = 'ACTIVE' AND CustomerId = '" + customer + "' AND TurnCount = 1";
    assertTrue(visible(id, query), "the conversation is listed under: " + query);
  }

  @Test
  void should_decline_rather_than_guess_when_the_help_centre_has_nothing() throws Exception {
    String customer = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call("POST", "/v1/conversations", customer, Map.of("customerId", customer), 201)
        .get("conversationId").asText();

    JsonNode reply = call("POST", "/v1/conversations/" + id + "/messages", customer,
        Map.of("text", "What is the capital of Australia?"), 200).get("reply");

    assertEquals("nothing_relevant", reply.get("reason").asText(), reply.toString());
    assertEquals(0, reply.get("citations").size());
  }

  @Test
  void should_ingest_a_folder_through_the_ingestion_workflow_and_report_progress() throws Exception {
    String ingestAlias = "kb-wf-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call(ADMIN_KEY, "POST", "/v1/kb/ingest", "ops",
        Map.of("source", "sample-kb", "alias", ingestAlias), 202).get("ingestionId").asText();

    JsonNode status = null;
    for (int i = 0; i < 600; i++) {
      status = call(ADMIN_KEY, "GET", "/v1/kb/ingest/" + id, "ops", null, 200);
      if (!status.get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(200);
    }
    String index = status.get("progress").get("index").asText();
    try {
      assertEquals("COMPLETED", status.get("state").asText(), status.toString());
      JsonNode progress = status.get("progress");
      assertEquals(34, progress.get("total").asInt(), status.toString());
      assertEquals(34, progress.get("done").asInt(), status.toString());
      assertEquals(0, progress.get("failed").asInt());
      assertEquals(progress.get("chunks").asLong(), es.count(c -> c.index(ingestAlias)).count());
    } finally {
      es.indices().delete(d -> d.index(index));
    }
  }

  @Test
  void should_be_ready_when_its_dependencies_are() throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  /** Visibility is eventually consistent: poll for a few seconds. */
  private static boolean visible(String workflowId, String query) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      var response =
          service.blockingStub().listWorkflowExecutions(
              ListWorkflowExecutionsRequest.newBuilder().setNamespace("default").setQuery(query).build());
      if (response.getExecutionsList().stream().anyMatch(e -> e.getExecution().getWorkflowId().equals(workflowId))) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }
}
