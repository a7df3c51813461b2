package dev.supportagent.api;

import dev.supportagent.telemetry.Telemetry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import dev.supportagent.workflows.testing.MultipartBody;
import io.javalin.Javalin;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API over real HTTP, wired to the in-memory Temporal with fake activities. */
class ApiAppTest {

  static final String APP_KEY = "ca_test_key";
  static final String AGENT_KEY = "ag_test_key";
  static final String ADMIN_KEY = "ad_test_key";
  static final int KEY_LIMIT = 1000;

  static ConversationTestEnvironment temporal;
  static Javalin app;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();
  static final CountingLimiter limiter = new CountingLimiter();
  static final Map<String, Map<String, byte[]>> uploads = new ConcurrentHashMap<>();
  /** Answer streams by conversation and message id, as the answer activity would write them. */
  static final Map<String, List<AnswerStreamReader.Event>> streamed = new ConcurrentHashMap<>();
  static final AnswerStreamReader streams =
      (conversationId, messageId, after, wait) -> {
        List<AnswerStreamReader.Event> all = streamed.getOrDefault(conversationId + "/" + messageId, List.of());
        int from = after == null ? 0 : Integer.parseInt(after) + 1;
        return all.subList(Math.min(from, all.size()), all.size());
      };
  static String base;

  /** In-memory limiter: counts per bucket, never resets (tests reset it). */
  static final class CountingLimiter implements RateLimiter {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public Decision tryAcquire(String bucket, int perMinute) {
      int n = counts.computeIfAbsent(bucket, b -> new AtomicInteger()).incrementAndGet();
      return n <= perMinute ? Decision.ALLOW : new Decision(false, 7);
    }
  }

  @BeforeAll
  static void start() {
    temporal = new ConversationTestEnvironment();
    Map<String, String> env =
        Map.of(
            "SUPPORT_API_KEYS",
            "app:customer_app:" + ApiKeys.sha256(APP_KEY) + ",agent:agent:" + ApiKeys.sha256(AGENT_KEY)
                + ",admin:admin:" + ApiKeys.sha256(ADMIN_KEY),
            "SUPPORT_RATE_LIMIT_PER_MINUTE", Integer.toString(KEY_LIMIT),
            "SUPPORT_END_USER_RATE_LIMIT_PER_MINUTE", "5",
            "SUPPORT_MAX_BODY_BYTES", "2048",
            "SUPPORT_MAX_UPLOAD_BYTES", "8192");
    ApiConfig config = ApiConfig.fromEnv(env);
    Readiness readiness = new Readiness().add("temporal", () -> true).add("redis", () -> false);
    app =
        ApiApp.create(
            config,
            new ApiApp.Dependencies(
                temporal.env.getWorkflowClient(), config.keys(), limiter, readiness,
                Telemetry.create("api-test", Map.of()), uploads::put, streams,
                EscalationQueue.of(temporal.escalations.queue)));
    app.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stop() {
    app.stop();
    temporal.close();
  }

  @BeforeEach
  void resetLimits() {
    limiter.counts.clear();
  }

  record Response(int status, JsonNode body, HttpResponse<String> raw) {}

  static Response call(String method, String path, String key, String customer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (customer != null) {
      b.header("X-Customer-Id", customer);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode node = r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
    return new Response(r.statusCode(), node, r);
  }

  static String startConversation(String customer) throws Exception {
    Response r = call("POST", "/v1/conversations", APP_KEY, customer, "{\"customerId\":\"" + customer + "\"}");
    assertEquals(201, r.status(), r.raw().body());
    return r.body().get("conversationId").asText();
  }

  static void assertProblem(Response r, int status) {
    assertEquals(status, r.status(), r.raw().body());
    assertEquals("application/problem+json", r.raw().headers().firstValue("Content-Type").orElse(""));
    assertEquals(status, r.body().get("status").asInt());
    assertTrue(r.body().hasNonNull("title") && r.body().hasNonNull("detail"), r.raw().body());
  }

  @Test
  void should_start_a_conversation_answer_a_message_and_return_the_transcript() throws Exception {
    String id = startConversation("alice");

    Response reply = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "alice",
        "{\"messageId\":\"m-1\",\"text\":\"Can I get a refund?\"}");
    Response transcript = call("GET", "/v1/conversations/" + id, APP_KEY, "alice", null);

    assertEquals(200, reply.status(), reply.raw().body());
    JsonNode r = reply.body().get("reply");
    assertEquals("turn-1", r.get("turnId").asText());
    assertEquals("billing/refunds.md", r.get("citations").get(0).get("documentId").asText());
    assertTrue(r.get("latencyMs").asLong() >= 0);
    // where the turn's time went, in time order: the API's steps around the workflow's
    List<String> steps = new java.util.ArrayList<>();
    long previous = 0;
    for (var step : (Iterable<java.util.Map.Entry<String, JsonNode>>) reply.body().get("timeline")::fields) {
      steps.add(step.getKey());
      assertTrue(step.getValue().asLong() >= previous, reply.raw().body());
      previous = step.getValue().asLong();
    }
    assertEquals("api_received", steps.get(0), steps.toString());
    assertEquals("api_replied", steps.get(steps.size() - 1), steps.toString());
    assertTrue(steps.containsAll(List.of("api_authorised", "api_update_sent", "handler_started", "input_check_done", "retrieval_done",
        "generation_done", "output_filter_done", "api_update_returned")), steps.toString());
    assertEquals(200, transcript.status());
    assertEquals("ACTIVE", transcript.body().get("status").asText());
    assertEquals(2, transcript.body().get("transcript").size());
    assertEquals(200, call("GET", "/v1/conversations/" + id, AGENT_KEY, null, null).status());
    assertEquals(200, call("GET", "/v1/conversations/" + id, ADMIN_KEY, null, null).status());
  }

  @Test
  void should_answer_a_repeated_message_id_from_the_first_reply() throws Exception {
    String id = startConversation("bob");
    String body = "{\"messageId\":\"same\",\"text\":\"Can I get a refund?\"}";

    Response first = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "bob", body);
    Response second = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "bob", body);

    // the same reply; the timeline is the request's own
    assertEquals(first.body().get("reply"), second.body().get("reply"));
    assertEquals(1, call("GET", "/v1/conversations/" + id, APP_KEY, "bob", null).body().get("turnCount").asInt());
  }

  @Test
  void should_answer_401_without_a_key_or_with_a_bad_one() throws Exception {
    assertProblem(call("POST", "/v1/conversations", null, "x", "{\"customerId\":\"x\"}"), 401);
    Response bad = call("POST", "/v1/conversations", "not-a-key", "x", "{\"customerId\":\"x\"}");
    assertProblem(bad, 401);
    assertTrue(bad.raw().headers().firstValue("WWW-Authenticate").isPresent());
  }

  @Test
  void should_answer_403_for_a_wrong_role() throws Exception {
    assertProblem(call("POST", "/v1/conversations", AGENT_KEY, null, "{\"customerId\":\"x\"}"), 403);
    String id = startConversation("carol");
    assertProblem(call("POST", "/v1/conversations/" + id + "/close", ADMIN_KEY, null, null), 403);
  }

  @Test
  void should_answer_403_for_another_customers_conversation() throws Exception {
    String id = startConversation("dave");

    assertProblem(call("GET", "/v1/conversations/" + id, APP_KEY, "mallory", null), 403);
    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "mallory", "{\"text\":\"hi\"}"), 403);
    assertProblem(call("POST", "/v1/conversations", APP_KEY, "mallory", "{\"customerId\":\"dave\"}"), 403);
  }

  @Test
  void should_check_the_customer_of_a_conversation_another_api_process_started() throws Exception {
    // started straight on Temporal, as another API replica would: this process has not seen it
    String id = "conversation-" + UUID.randomUUID();
    WorkflowClient.start(
        temporal.env.getWorkflowClient().newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build())::run,
        new ConversationStart(id, "heidi", Map.of(), List.of(), 3600, null));

    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "mallory", "{\"text\":\"hi\"}"), 403);
    assertEquals(200, call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "heidi", "{\"text\":\"hi\"}").status());
    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "mallory", "{\"text\":\"again\"}"), 403);
  }

  @Test
  void should_answer_404_for_an_unknown_conversation() throws Exception {
    assertProblem(call("GET", "/v1/conversations/conversation-00000000-0000-0000-0000-000000000000", APP_KEY, "x", null), 404);
    assertProblem(call("GET", "/v1/conversations/not-an-id", AGENT_KEY, null, null), 404);
    assertProblem(call("GET", "/v1/nothing-here", AGENT_KEY, null, null), 404);
  }

  @Test
  void should_answer_400_for_malformed_json_or_missing_fields() throws Exception {
    assertProblem(call("POST", "/v1/conversations", APP_KEY, "x", "{\"customerId\":"), 400);
    assertProblem(call("POST", "/v1/conversations", APP_KEY, "x", "{}"), 400);
    assertProblem(call("POST", "/v1/conversations", APP_KEY, "x", ""), 400);
    String id = startConversation("erin");
    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "erin", "{\"messageId\":\"m\"}"), 400);
    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "erin", "{\"text\":\"   \"}"), 400);
    assertProblem(call("GET", "/v1/conversations/" + id, APP_KEY, null, null), 400);
  }

  @Test
  void should_answer_413_for_an_oversized_body() throws Exception {
    String big = "{\"customerId\":\"x\",\"metadata\":{\"pad\":\"" + "a".repeat(4096) + "\"}}";

    assertProblem(call("POST", "/v1/conversations", APP_KEY, "x", big), 413);
  }

  @Test
  void should_answer_429_with_retry_after_past_the_end_user_limit() throws Exception {
    String id = startConversation("frank");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, call("GET", "/v1/conversations/" + id, APP_KEY, "frank", null).status());
    }

    Response limited = call("GET", "/v1/conversations/" + id, APP_KEY, "frank", null);

    assertProblem(limited, 429);
    assertEquals("7", limited.raw().headers().firstValue("Retry-After").orElse(""));
    assertEquals(200, call("GET", "/v1/conversations/" + id, AGENT_KEY, null, null).status(), "other keys are unaffected");
  }

  @Test
  void should_answer_409_for_a_message_to_a_closed_conversation() throws Exception {
    String id = startConversation("grace");

    Response closed = call("POST", "/v1/conversations/" + id + "/close", APP_KEY, "grace", null);
    assertEquals(200, closed.status(), closed.raw().body());

    assertProblem(call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "grace", "{\"text\":\"hello?\"}"), 409);
    assertEquals("CLOSED", call("GET", "/v1/conversations/" + id, APP_KEY, "grace", null).body().get("status").asText());
  }

  @Test
  void should_report_health_readiness_and_metrics_without_a_key() throws Exception {
    assertEquals(200, call("GET", "/healthz", null, null, null).status());
    Response ready = call("GET", "/readyz", null, null, null);
    assertEquals(503, ready.status());
    assertEquals("down", ready.body().get("dependencies").get("redis").asText());

    String id = startConversation("heidi");
    call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "heidi", "{\"text\":\"refund?\"}");
    HttpResponse<String> metrics =
        http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("support_turn_duration_seconds_bucket"), metrics.body());
    assertTrue(metrics.body().contains("stage=\"retrieval\""), metrics.body());
  }

  @Test
  void should_start_and_follow_an_ingestion_as_admin_only() throws Exception {
    temporal.ingest.source.put("a.md", "# A\nalpha");

    Response started = call("POST", "/v1/kb/ingest", ADMIN_KEY, null, "{\"source\":\"docs\"}");
    assertEquals(202, started.status(), started.raw().body());
    String id = started.body().get("ingestionId").asText();
    Response status = null;
    for (int i = 0; i < 50; i++) {
      status = call("GET", "/v1/kb/ingest/" + id, ADMIN_KEY, null, null);
      if (!status.body().get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(100);
    }

    assertEquals("COMPLETED", status.body().get("state").asText(), status.raw().body());
    assertEquals(1, status.body().get("progress").get("done").asInt());
    assertProblem(call("POST", "/v1/kb/ingest", APP_KEY, "x", "{}"), 403);
    assertProblem(call("GET", "/v1/kb/ingest/" + id, AGENT_KEY, null, null), 403);
    assertProblem(call("GET", "/v1/kb/ingest/kb-ingest-00000000-0000-0000-0000-000000000000", ADMIN_KEY, null, null), 404);
    assertProblem(call("POST", "/v1/kb/ingest", ADMIN_KEY, null, "{\"source\":\"../etc\"}"), 400);
  }

  static Response upload(String key, MultipartBody body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/v1/kb/ingest"))
            .header("Content-Type", body.contentType())
            .POST(body.publisher());
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body().isBlank() ? json.nullNode() : json.readTree(r.body()), r);
  }

  @Test
  void should_store_uploaded_documents_and_ingest_them_as_a_partial_source() throws Exception {
    temporal.ingest.source.put("a.md", "# A\nalpha");
    int before = uploads.size();

    Response started =
        upload(ADMIN_KEY, MultipartBody.files(Map.of("billing/refunds.md", "# Refunds\nWithin 30 days.", "faq.txt", "Hi"))
            .field("alias", "kb-upload-test"));

    assertEquals(202, started.status(), started.raw().body());
    assertEquals(before + 1, uploads.size());
    Map<String, byte[]> stored =
        uploads.values().stream().filter(m -> m.containsKey("billing/refunds.md")).findFirst().orElseThrow();
    assertEquals("# Refunds\nWithin 30 days.", new String(stored.get("billing/refunds.md"), StandardCharsets.UTF_8));
    assertEquals(2, stored.size());
    String id = started.body().get("ingestionId").asText();
    Response status = null;
    for (int i = 0; i < 50; i++) {
      status = call("GET", "/v1/kb/ingest/" + id, ADMIN_KEY, null, null);
      if (!status.body().get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("COMPLETED", status.body().get("state").asText(), status.raw().body());
    assertEquals(0, status.body().get("progress").get("deleted").asInt(), "an upload deletes nothing");
  }

  @Test
  void should_write_a_new_index_of_the_uploaded_documents_alone_when_fullRebuild_is_true() throws Exception {
    String first = completedUpload(MultipartBody.files(Map.of("a.md", "# A\nalpha"))
        .field("alias", "kb-rebuild-test").field("fullRebuild", "true"));
    String second = completedUpload(MultipartBody.files(Map.of("b.md", "# B\nbeta"))
        .field("alias", "kb-rebuild-test").field("fullRebuild", "true"));

    assertTrue(first.startsWith("kb-rebuild-test-"), first);
    assertTrue(second.startsWith("kb-rebuild-test-"), second);
    assertNotEquals(first, second, "each full rebuild writes an index of its own");
  }

  /** Uploads, waits for the ingestion to complete, and returns the index it wrote. */
  private static String completedUpload(MultipartBody body) throws Exception {
    Response started = upload(ADMIN_KEY, body);
    assertEquals(202, started.status(), started.raw().body());
    String id = started.body().get("ingestionId").asText();
    Response status = null;
    for (int i = 0; i < 50; i++) {
      status = call("GET", "/v1/kb/ingest/" + id, ADMIN_KEY, null, null);
      if (!status.body().get("state").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("COMPLETED", status.body().get("state").asText(), status.raw().body());
    return status.body().get("progress").get("index").asText();
  }

  @Test
  void should_refuse_bad_uploads_with_a_problem_and_store_nothing() throws Exception {
    int before = uploads.size();

    assertProblem(upload(ADMIN_KEY, MultipartBody.files(Map.of("../etc/passwd", "x"))), 400);
    assertProblem(upload(ADMIN_KEY, MultipartBody.files(Map.of("/abs.md", "x"))), 400);
    assertProblem(upload(ADMIN_KEY, new MultipartBody().field("alias", "kb")), 400);
    assertProblem(upload(ADMIN_KEY, MultipartBody.files(Map.of("a.md", "x")).field("alias", "Bad Alias")), 400);
    assertProblem(upload(ADMIN_KEY, MultipartBody.files(Map.of("big.md", "x".repeat(9000)))), 413);
    assertProblem(upload(APP_KEY, MultipartBody.files(Map.of("a.md", "x"))), 403);
    assertProblem(upload(null, MultipartBody.files(Map.of("a.md", "x"))), 401);

    assertEquals(before, uploads.size());
  }

  @Test
  void should_stream_tokens_resets_and_then_the_reply_as_server_sent_events() throws Exception {
    String id = startConversation("sse-user");
    streamed.put(id + "/m-sse-1", List.of(
        new AnswerStreamReader.Event("0", "token", "Half an "),
        new AnswerStreamReader.Event("1", "reset", ""),
        new AnswerStreamReader.Event("2", "token", "Refunds are possible. "),
        new AnswerStreamReader.Event("3", "done", "")));

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + id + "/messages"))
                .header("Authorization", "Bearer " + APP_KEY)
                .header("X-Customer-Id", "sse-user")
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"m-sse-1\",\"text\":\"refund?\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> names = new java.util.ArrayList<>();
    List<JsonNode> data = new java.util.ArrayList<>();
    for (String block : r.body().split("\n\n")) {
      if (block.startsWith("event: ")) {
        String[] lines = block.split("\n");
        names.add(lines[0].substring("event: ".length()));
        data.add(json.readTree(lines[1].substring("data: ".length())));
      }
    }
    assertEquals(List.of("token", "reset", "token", "reply"), names, r.body());
    assertEquals("Refunds are possible. ", data.get(2).get("text").asText());
    assertEquals("m-sse-1", data.get(3).get("reply").get("messageId").asText());
    JsonNode timeline = data.get(3).get("timeline");
    assertTrue(timeline.get("api_first_token").asLong() <= timeline.get("api_replied").asLong(), timeline.toString());
    assertTrue(timeline.get("generation_done").asLong() >= timeline.get("retrieval_done").asLong(), timeline.toString());
    assertTrue(data.get(3).get("reply").get("text").asText().length() > 0);
    assertTrue(metricsText().matches("(?s).*\nsupport_turn_first_token_duration_seconds_count\\{[^}]*provider=\"[a-z_]+\",[^}]*tier=\"[a-z_]+\".*"),
        "time to first token, by provider and tier");
  }

  static String metricsText() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void should_answer_a_closed_conversation_with_a_problem_not_a_stream() throws Exception {
    String id = startConversation("sse-closed");
    call("POST", "/v1/conversations/" + id + "/close", APP_KEY, "sse-closed", null);

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + id + "/messages"))
                .header("Authorization", "Bearer " + APP_KEY)
                .header("X-Customer-Id", "sse-closed")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(409, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
  }

  static Response waitForQueue(String conversationId) throws Exception {
    Response list = null;
    for (int i = 0; i < 50; i++) {
      list = call("GET", "/v1/escalations", AGENT_KEY, null, null);
      if (list.body().get("escalations").toString().contains(conversationId)) {
        return list;
      }
      Thread.sleep(100);
    }
    return list;
  }

  @Test
  void should_let_one_agent_claim_answer_and_hand_back_an_escalation() throws Exception {
    String id = startConversation("esc-user");
    Response handoff = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "esc-user",
        "{\"text\":\"I need a human\"}");
    assertTrue(handoff.body().get("reply").get("escalated").asBoolean(), handoff.raw().body());
    Response list = waitForQueue(id);
    String escalationId = "escalation-" + id + "-1";
    assertTrue(list.body().get("escalations").toString().contains(escalationId), list.raw().body());
    assertTrue(call("GET", "/v1/escalations?q=esc-user", AGENT_KEY, null, null).raw().body().contains(escalationId), "searchable");
    assertEquals(0, call("GET", "/v1/escalations?q=nobody-like-this", AGENT_KEY, null, null).body().get("escalations").size());
    String base = "/v1/escalations/" + escalationId;

    assertEquals(200, call("POST", base + "/claim", AGENT_KEY, null, "{\"agentId\":\"ana\"}").status());
    assertTrue(metricsText().contains("support_escalation_actions_total{action=\"claim\""), "a claim is counted");
    assertProblem(call("POST", base + "/claim", AGENT_KEY, null, "{\"agentId\":\"bo\"}"), 409);
    assertProblem(call("POST", base + "/reply", AGENT_KEY, null, "{\"agentId\":\"bo\",\"text\":\"hi\"}"), 403);
    assertProblem(call("POST", base + "/reply", AGENT_KEY, null, "{\"agentId\":\"ana\"}"), 400);
    assertEquals(200, call("POST", base + "/reply", AGENT_KEY, null, "{\"agentId\":\"ana\",\"text\":\"Hello, Ana here.\"}").status());

    Response detail = call("GET", base, AGENT_KEY, null, null);
    assertEquals("CLAIMED", detail.body().get("escalation").get("status").asText());
    assertTrue(detail.body().get("conversation").get("transcript").toString().contains("Hello, Ana here."));
    Response customerView = call("GET", "/v1/conversations/" + id, APP_KEY, "esc-user", null);
    assertTrue(customerView.raw().body().contains("\"role\":\"human_agent\""), customerView.raw().body());

    assertEquals(200, call("POST", base + "/resolve", AGENT_KEY, null,
        "{\"agentId\":\"ana\",\"resolution\":\"answered\",\"handBack\":true}").status());
    Response after = null;
    for (int i = 0; i < 50; i++) {
      after = call("GET", "/v1/conversations/" + id, APP_KEY, "esc-user", null);
      if (after.body().get("status").asText().equals("ACTIVE")) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("ACTIVE", after.body().get("status").asText(), "handed back to the bot");
    assertProblem(call("POST", base + "/reply", AGENT_KEY, null, "{\"agentId\":\"ana\",\"text\":\"late\"}"), 409);
  }

  @Test
  void should_guard_the_escalation_routes_by_role_and_input() throws Exception {
    assertProblem(call("GET", "/v1/escalations", APP_KEY, "x", null), 403);
    assertProblem(call("GET", "/v1/escalations?status=DONE", AGENT_KEY, null, null), 400);
    assertProblem(call("POST", "/v1/escalations/escalation-conversation-00000000-0000-0000-0000-000000000000-1/claim",
        AGENT_KEY, null, "{\"agentId\":\"ana\"}"), 404);
    assertProblem(call("POST", "/v1/escalations/nope/claim", AGENT_KEY, null, "{}"), 404);
    assertProblem(call("POST", "/v1/escalations/nope/claim", ADMIN_KEY, null, "{}"), 403);
  }

  @Test
  void should_escalate_on_request_and_stream_the_persons_reply_to_the_customer() throws Exception {
    String id = startConversation("esc-sse");
    Response escalated = call("POST", "/v1/conversations/" + id + "/escalate", APP_KEY, "esc-sse", "{}");
    assertEquals("ESCALATED", escalated.body().get("status").asText(), escalated.raw().body());
    String escalationId = escalated.body().get("escalationId").asText();

    java.util.concurrent.CompletableFuture<HttpResponse<String>> events =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/v1/conversations/" + id + "/events"))
                .header("Authorization", "Bearer " + APP_KEY)
                .header("X-Customer-Id", "esc-sse")
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // the ticket reaches the agents' queue before an agent can claim it (a fixed pause was not
    // always enough on a loaded machine)
    assertTrue(waitForQueue(id).body().get("escalations").toString().contains(escalationId));
    assertEquals(200, call("POST", "/v1/escalations/" + escalationId + "/claim", AGENT_KEY, null, "{\"agentId\":\"ana\"}").status());
    assertEquals(200, call("POST", "/v1/escalations/" + escalationId + "/reply", AGENT_KEY, null, "{\"agentId\":\"ana\",\"text\":\"Ana here, how can I help?\"}").status());
    assertEquals(200, call("POST", "/v1/escalations/" + escalationId + "/resolve", AGENT_KEY, null, "{\"agentId\":\"ana\",\"handBack\":false}").status());

    String stream = events.get(20, java.util.concurrent.TimeUnit.SECONDS).body();
    assertTrue(stream.contains("event: status\ndata: {\"status\":\"ESCALATED\""), stream);
    assertTrue(stream.contains("Ana here, how can I help?"), stream);
    assertTrue(stream.contains("\"status\":\"CLOSED\""), "the stream ends when the conversation closes: " + stream);
    assertProblem(call("POST", "/v1/conversations/" + id + "/escalate", APP_KEY, "esc-sse", "{}"), 409);
  }

  @Test
  void should_record_feedback_and_hand_over_after_two_negative_ratings() throws Exception {
    String id = startConversation("fb-user");
    String t1 = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "fb-user", "{\"text\":\"refund?\"}")
        .body().get("reply").get("turnId").asText();
    String t2 = call("POST", "/v1/conversations/" + id + "/messages", APP_KEY, "fb-user", "{\"text\":\"hub?\"}")
        .body().get("reply").get("turnId").asText();

    // (bad ratings and unknown turns are refused by the workflow: EscalationWorkflowTest; this end
    // user's rate limit in this test allows five requests)
    assertProblem(call("POST", "/v1/conversations/" + id + "/feedback", AGENT_KEY, null, "{\"turnId\":\"" + t1 + "\",\"rating\":\"up\"}"), 403);
    assertEquals("ACTIVE", call("POST", "/v1/conversations/" + id + "/feedback", APP_KEY, "fb-user",
        "{\"turnId\":\"" + t1 + "\",\"rating\":\"down\"}").body().get("status").asText());
    Response second = call("POST", "/v1/conversations/" + id + "/feedback", APP_KEY, "fb-user",
        "{\"turnId\":\"" + t2 + "\",\"rating\":\"down\",\"comment\":\"not what I asked\"}");

    assertEquals("ESCALATED", second.body().get("status").asText(), second.raw().body());
    assertEquals("escalation-" + id + "-1", second.body().get("escalationId").asText());
    assertTrue(metricsText().contains("support_feedback_total{otel_scope_name=\"dev.supportagent\",rating=\"down\"}"),
        metricsText());
  }

  @Test
  void should_serve_the_chat_page() throws Exception {
    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("id=\"message-input\""));
  }

  @Test
  void should_serve_the_agent_console_at_agent_without_a_key_and_load_nothing_from_elsewhere() throws Exception {
    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(URI.create(base + "/agent")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("id=\"queue\"") && page.body().contains("id=\"claim-button\""), "the console");
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    assertTrue(!page.body().contains("innerHTML") && !page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"),
        "no HTML parsing of data and no external resources");
  }
}
