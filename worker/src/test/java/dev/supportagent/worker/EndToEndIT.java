package dev.supportagent.worker;

import dev.supportagent.telemetry.Telemetry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.api.ApiConfig;
import dev.supportagent.api.ApiKeys;
import dev.supportagent.api.ApiMain;
import dev.supportagent.workflows.testing.IntegrationEnv;
import dev.supportagent.workflows.testing.MultipartBody;
import io.javalin.Javalin;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  static final String AGENT_KEY = "ag_" + UUID.randomUUID();
  static final ObjectMapper json = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();

  static ElasticsearchClient es;
  static String alias;
  static String kbIndex;
  static ElasticsearchTurnLog turnLog;
  static WorkflowServiceStubs service;
  static WorkflowClient temporal;
  static WorkerFactory factory;
  static RedissonClient redis;
  static Javalin api;
  static String base;

  @BeforeAll
  static void startStack() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    var embeddings = Embeddings.documents();
    alias = "kb-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    kbIndex =
        new KnowledgeBaseIndexer(es, embeddings, new MarkdownChunker(), alias)
            .ingest(Path.of("../deploy/local/sample-kb"))
            .index();

    turnLog = TestApi.turnLog(es, "e2e");
    service = TestApi.temporalService();
    temporal = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    Telemetry telemetry = Telemetry.create("worker-e2e", Map.of());
    redis = ApiMain.redis(IntegrationEnv.redisUrl());
    factory = SupportWorkers.newFactory(temporal);
    SupportWorkers.register(
        factory,
        InProcessActivities.of(es, embeddings, redis, telemetry, alias, Path.of("../deploy/local"), turnLog),
        4);
    factory.start();

    ApiConfig config =
        ApiConfig.fromEnv(
            Map.of(
                "SUPPORT_API_KEYS",
                "e2e:customer_app:" + ApiKeys.sha256(APP_KEY) + ",ops:admin:" + ApiKeys.sha256(ADMIN_KEY)
                    + ",desk:agent:" + ApiKeys.sha256(AGENT_KEY)));
    api = TestApi.start(config, temporal, service, redis, Telemetry.create("api-e2e", Map.of()), "e2e");
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterAll
  static void stopStack() throws Exception {
    TestApi.stop(api, factory, redis, service, es, kbIndex, turnLog);
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
  void should_log_each_turn_and_its_rating_in_the_turn_log_without_the_customers_email() throws Exception {
    String customer = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call("POST", "/v1/conversations", customer, Map.of("customerId", customer), 201)
        .get("conversationId").asText();
    String email = "sam.rivera@example.org";

    JsonNode reply = call("POST", "/v1/conversations/" + id + "/messages", customer,
        Map.of("messageId", "m-1", "text", "How do I reset my password? My login is " + email), 200).get("reply");
    call("POST", "/v1/conversations/" + id + "/feedback", customer,
        Map.of("turnId", reply.get("turnId").asText(), "rating", "down"), 200);

    String docId = ElasticsearchTurnLog.documentId(id, "turn-1");
    JsonNode doc = null;
    for (int i = 0; i < 200 && (doc == null || !doc.has("feedback") || !doc.has("reply")); i++) {
      Thread.sleep(100);
      try {
        var hits = es.search(s -> s.index(turnLog.alias()).query(q -> q.ids(ids -> ids.values(docId))), JsonNode.class)
            .hits().hits();
        doc = hits.isEmpty() ? null : hits.get(0).source();
      } catch (Exception notYet) {
        // the month's index is created by the first write, and its shard takes a moment to start
        doc = null;
      }
    }
    assertTrue(doc != null && doc.has("feedback") && doc.has("reply"), "turn and rating logged: " + doc);
    assertEquals("down", doc.get("feedback").get("rating").asText());
    assertEquals(customer, doc.get("customer_id").asText());
    assertEquals("account/reset-password.md", doc.get("citations").get(0).get("document_id").asText());
    assertEquals(reply.get("promptVersion").asText(), doc.get("prompt_version").asText());
    assertTrue(doc.get("passages").size() > 0, doc.toString());
    assertTrue(doc.get("stages_ms").has("retrieval"), doc.toString());
    assertFalse(json.writeValueAsString(doc).contains(email), doc.toString());
    assertTrue(doc.get("question").asText().contains("[EMAIL_1]"), doc.toString());
  }

  @Test
  void should_stream_the_answer_over_server_sent_events_through_redis_and_end_with_the_reply() throws Exception {
    String customer = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call("POST", "/v1/conversations", customer, Map.of("customerId", customer), 201)
        .get("conversationId").asText();

    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + id + "/messages"))
                .header("Authorization", "Bearer " + APP_KEY)
                .header("X-Customer-Id", customer)
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"m-sse\",\"text\":\"How do I reset my password?\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());

    assertEquals(200, r.statusCode());
    List<String> events = new ArrayList<>();
    StringBuilder streamed = new StringBuilder();
    JsonNode reply = null;
    String event = null;
    for (String line : (Iterable<String>) r.body()::iterator) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
        events.add(event);
      } else if (line.startsWith("data: ")) {
        JsonNode data = json.readTree(line.substring(6));
        if ("token".equals(event)) {
          streamed.append(data.get("text").asText());
        } else if ("reply".equals(event)) {
          reply = data.get("reply");
        }
      }
    }
    assertTrue(events.indexOf("token") >= 0 && events.indexOf("token") < events.indexOf("reply"), events.toString());
    assertEquals("reply", events.get(events.size() - 1));
    assertEquals(reply.get("text").asText(), streamed.toString().strip(), "the tokens add up to the reply");
    assertEquals("account/reset-password.md", reply.get("citations").get(0).get("documentId").asText());
    assertEquals("offline", reply.get("provider").asText());
  }

  @Test
  void should_render_the_streamed_answer_on_the_chat_page_in_headless_chromium() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "node", "../api/src/test/browser/chat-stream.js", base, APP_KEY, IntegrationEnv.chromium());
    pb.environment().put("NODE_PATH", IntegrationEnv.browserModules());
    pb.redirectErrorStream(false);
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "the browser script finished");
    assertEquals(0, node.exitValue(), err);

    JsonNode seen = json.readTree(out);
    JsonNode live = seen.get("liveTexts");
    assertTrue(live.size() >= 2, "the live bubble grew as tokens came: " + live);
    String first = live.get(0).asText();
    String reply = seen.get("reply").asText();
    assertTrue(!first.isEmpty() && first.length() < reply.length(), "it showed part of the answer first: " + live);
    assertEquals(0, seen.get("streamingLeft").asInt(), "the live bubble gave way to the reply");
    assertTrue(reply.toLowerCase().contains("password"), reply);
    assertTrue(seen.get("citations").toString().contains("password"), seen.toString());
    assertEquals(0, seen.get("errors").size(), seen.toString());
  }

  @Test
  void should_hand_a_customer_to_an_agent_on_the_console_and_back_in_headless_chromium() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "node", "../api/src/test/browser/escalation.js", base, APP_KEY, AGENT_KEY, IntegrationEnv.chromium(),
            IntegrationEnv.temporalUiUrl(), screenshots().toString());
    pb.environment().put("NODE_PATH", IntegrationEnv.browserModules());
    pb.redirectErrorStream(false);
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(150, java.util.concurrent.TimeUnit.SECONDS), "the browser script finished");

    JsonNode seen = json.readTree(out.isBlank() ? "{}" : out);
    assertEquals(0, node.exitValue(), out + err);
    assertTrue(seen.path("escalated").asBoolean(), "the customer's request reached a person: " + seen);
    assertTrue(seen.path("queued").asBoolean(), "the escalation was in the console's queue: " + seen);
    assertTrue(seen.path("escalationId").asText().startsWith("escalation-" + seen.path("conversationId").asText()), seen.toString());
    assertTrue(seen.path("claimed").asBoolean(), "ana claimed it: " + seen);
    assertTrue(seen.path("consoleShowedReply").asBoolean(), "the console showed her reply: " + seen);
    assertTrue(seen.path("customerSawReply").asBoolean(), "the chat page showed her reply: " + seen);
    assertTrue(seen.path("resolved").asBoolean(), seen.toString());
    assertEquals("ACTIVE", seen.path("conversationStatusAfter").asText(), "handed back to the bot: " + seen);
    assertTrue(seen.path("botAnsweredAgain").asBoolean(), "the bot answered the next question: " + seen);
    assertTrue(seen.path("listedInTemporalUi").asBoolean(), "listed under SupportStatus=\"ESCALATED\": " + seen);
    assertTrue(java.nio.file.Files.exists(screenshots().resolve("temporal-ui-escalated.png")));
    assertEquals(0, seen.path("errors").size(), seen.toString());
  }

  /** The ingestion's status once it is no longer running (two minutes at most). */
  static JsonNode awaitIngestion(String id) throws Exception {
    JsonNode status = null;
    for (int i = 0; i < 600; i++) {
      status = call(ADMIN_KEY, "GET", "/v1/kb/ingest/" + id, "ops", null, 200);
      if (!status.get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(200);
    }
    return status;
  }

  /** Browser tests' screenshots, kept as test output. */
  static Path screenshots() throws java.io.IOException {
    return java.nio.file.Files.createDirectories(Path.of("target/browser-screenshots"));
  }

  @Test
  void should_decline_rather_than_guess_when_the_help_centre_has_nothing() throws Exception {
    String customer = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call("POST", "/v1/conversations", customer, Map.of("customerId", customer), 201)
        .get("conversationId").asText();

    JsonNode reply = call("POST", "/v1/conversations/" + id + "/messages", customer,
        Map.of("text", "What is the capital of Australia?"), 200).get("reply");

    // declined either way: nothing relevant in the help centre, or politely off topic
    assertTrue(List.of("nothing_relevant", "off_topic").contains(reply.get("reason").asText()), reply.toString());
    assertEquals(0, reply.get("citations").size());
  }

  @Test
  void should_ingest_a_folder_through_the_ingestion_workflow_and_report_progress() throws Exception {
    String ingestAlias = "kb-wf-" + UUID.randomUUID().toString().substring(0, 8);
    String id = call(ADMIN_KEY, "POST", "/v1/kb/ingest", "ops",
        Map.of("source", "sample-kb", "alias", ingestAlias), 202).get("ingestionId").asText();

    JsonNode status = awaitIngestion(id);
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
  void should_ingest_uploaded_documents_through_redis_and_report_the_unreadable_one() throws Exception {
    String uploadAlias = "kb-up-" + UUID.randomUUID().toString().substring(0, 8);
    MultipartBody body =
        MultipartBody.files(Map.of("guides/loyalty.md", "# Loyalty points\n\nEvery order earns 5 points per euro."))
            .file("guides/broken.pdf", "%PDF-1.4 not really".getBytes(StandardCharsets.UTF_8))
            .field("alias", uploadAlias);
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/kb/ingest"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", body.contentType())
                .POST(body.publisher())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, started.statusCode(), started.body());
    String id = json.readTree(started.body()).get("ingestionId").asText();

    JsonNode status = awaitIngestion(id);
    String index = status.get("progress").get("index").asText();
    try {
      assertEquals("COMPLETED", status.get("state").asText(), status.toString());
      JsonNode progress = status.get("progress");
      assertEquals(2, progress.get("total").asInt(), status.toString());
      assertEquals(1, progress.get("done").asInt(), status.toString());
      assertEquals(1, progress.get("failed").asInt(), status.toString());
      assertEquals("guides/broken.pdf", progress.get("failures").get(0).get("documentId").asText());
      es.indices().refresh(r -> r.index(index));
      assertEquals(1, es.count(c -> c.index(uploadAlias)
          .query(q -> q.term(t -> t.field("document_id").value("guides/loyalty.md")))).count());
    } finally {
      es.indices().delete(d -> d.index(index));
    }
  }

  @Test
  void should_run_an_ingestion_from_the_command_line_with_progress_and_exit_codes() throws Exception {
    String cliAlias = "kb-cli-" + UUID.randomUUID().toString().substring(0, 8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        IngestCommand.run(
            temporal,
            IngestCommand.parse(java.util.List.of("--alias", cliAlias, "sample-kb"), Path.of("../deploy/local")),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    JsonNode result = json.readTree(out.toString(StandardCharsets.UTF_8));
    try {
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
      assertEquals("COMPLETED", result.get("status").asText());
      assertEquals(34, result.get("done").asInt());
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("34/34"), "the bar reaches the total: " + err);
    } finally {
      es.indices().delete(d -> d.index(result.get("index").asText()));
    }
    ByteArrayOutputStream missingErr = new ByteArrayOutputStream();
    int missing =
        IngestCommand.run(
            temporal,
            IngestCommand.parse(java.util.List.of("--alias", cliAlias, "no-such-folder"), Path.of("../deploy/local")),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(missingErr, true, StandardCharsets.UTF_8));
    assertEquals(2, missing);
    assertTrue(missingErr.toString(StandardCharsets.UTF_8).contains("no-such-folder"), missingErr.toString());
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
