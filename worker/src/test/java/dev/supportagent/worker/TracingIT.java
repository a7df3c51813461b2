package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.api.ApiConfig;
import dev.supportagent.api.ApiKeys;
import dev.supportagent.api.ApiMain;
import dev.supportagent.telemetry.Telemetry;
import dev.supportagent.telemetry.TemporalTracing;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.javalin.Javalin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * One trace per turn on the real servers: the API and the worker run in this JVM, each with its own
 * OpenTelemetry SDK and Temporal client as in their processes, both exporting to one in-memory
 * exporter; the trace context travels only through Temporal (the dev server, its headers).
 */
class TracingIT {

  static final String APP_KEY = "ca_" + UUID.randomUUID();
  static final String EMAIL = "jane.tracing-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  static final ObjectMapper json = new ObjectMapper();
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();

  static ElasticsearchClient es;
  static String kbIndex;
  static ElasticsearchTurnLog turnLog;
  static WorkflowServiceStubs service;
  static WorkerFactory factory;
  static RedissonClient redis;
  static Telemetry apiTelemetry;
  static Telemetry workerTelemetry;
  static Javalin api;
  static String base;

  /** An SDK like the process's, its spans exported to {@link #spans} as each ends. */
  static Telemetry inMemory(String serviceName) {
    PrometheusMetricReader prometheus = PrometheusMetricReader.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(prometheus).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return Telemetry.of(sdk, prometheus);
  }

  static WorkflowClient client() {
    return WorkflowClient.newInstance(
        service, TemporalTracing.propagateTraces(WorkflowClientOptions.newBuilder()).setNamespace("default").build());
  }

  @BeforeAll
  static void startStack() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    var embeddings = Embeddings.documents();
    // one short document is enough to answer from, and quick to embed
    TestApi.Kb kb =
        TestApi.oneDocument(es, "trace", "account/reset-password.md",
            "# Reset your password\n\nTo reset your password, open Settings, choose Account and click Reset"
                + " password. We email you a link that is valid for one hour.\n");
    kbIndex = kb.index();

    turnLog = TestApi.turnLog(es, "trace");
    service = TestApi.temporalService();
    redis = ApiMain.redis(IntegrationEnv.redisUrl());

    workerTelemetry = inMemory("support-worker");
    factory = SupportWorkers.newFactory(client(), workerTelemetry.openTelemetry());
    SupportWorkers.register(
        factory, InProcessActivities.of(es, embeddings, redis, workerTelemetry, kb.alias(), kb.root(), turnLog), 2);
    factory.start();

    apiTelemetry = inMemory("support-api");
    ApiConfig config =
        ApiConfig.fromEnv(Map.of("SUPPORT_API_KEYS", "trace:customer_app:" + ApiKeys.sha256(APP_KEY)));
    api = TestApi.start(config, client(), service, redis, apiTelemetry, "trace");
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterAll
  static void stopStack() throws Exception {
    TestApi.stop(api, factory, redis, service, es, kbIndex, turnLog);
    for (Telemetry t : new Telemetry[] {apiTelemetry, workerTelemetry}) {
      if (t != null) {
        t.close();
      }
    }
  }

  static JsonNode post(String path, String customer, Object body) throws Exception {
    return TestApi.post(base, APP_KEY, path, customer, body);
  }

  @Test
  void should_trace_a_turn_from_the_http_request_through_the_workflow_to_each_activity_and_the_model()
      throws Exception {
    String customer = "trace-" + UUID.randomUUID().toString().substring(0, 8);
    String id = post("/v1/conversations", customer, Map.of("customerId", customer)).get("conversationId").asText();

    JsonNode reply =
        post("/v1/conversations/" + id + "/messages", customer,
            Map.of("messageId", "m-1", "text", "How do I reset my password? I am " + EMAIL)).get("reply");
    assertEquals(OfflineAnswerer.MODEL, reply.get("model").asText(), reply.toString());

    SpanData root = await("POST /v1/conversations/{id}/messages");
    // the output filter is the turn's last step; the turn log is written later, in a batch
    List<SpanData> trace = await(root.getTraceId(), "activity FilterOutput");
    Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    String tree = tree(trace, root, 0);
    System.out.println("the turn's trace:" + tree);

    assertEquals(SpanKind.SERVER, root.getKind());
    assertFalse(root.getParentSpanContext().isValid(), "the HTTP request starts the trace: " + tree);
    SpanData update = only(trace, "workflow ConversationWorkflow.sendMessage", tree);
    assertEquals(root.getSpanId(), update.getParentSpanId(), tree);
    assertEquals("sendMessage", update.getAttributes().get(AttributeKey.stringKey("temporal.update.name")));
    for (String activity : List.of("activity CheckInput", "activity Retrieve", "activity Generate",
        "activity FilterOutput")) {
      assertTrue(descends(only(trace, activity, tree), update, byId), activity + " under the update: " + tree);
      // the whole turn is one workflow task: every stage a local activity
      assertEquals(Boolean.TRUE, only(trace, activity, tree).getAttributes()
          .get(AttributeKey.booleanKey("temporal.activity.local")), activity);
    }
    // where the turn's time went, as events of the request's span
    List<String> events = root.getEvents().stream().map(e -> e.getName()).toList();
    assertTrue(events.containsAll(List.of("turn.api_received", "turn.handler_started", "turn.retrieval_done",
        "turn.generation_done", "turn.output_filter_done", "turn.api_replied")), events.toString());

    SpanData model = only(trace, "chat " + OfflineAnswerer.MODEL, tree);
    assertEquals(SpanKind.CLIENT, model.getKind());
    assertTrue(descends(model, only(trace, "activity Generate", tree), byId), tree);
    Attributes a = model.getAttributes();
    assertEquals("chat", a.get(AttributeKey.stringKey("gen_ai.operation.name")));
    assertEquals("offline", a.get(AttributeKey.stringKey("gen_ai.provider.name")));
    assertEquals(OfflineAnswerer.MODEL, a.get(AttributeKey.stringKey("gen_ai.request.model")));
    assertNotNull(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens")), a.toString());
    assertTrue(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens")) > 0, a.toString());
    assertEquals(0.0, a.get(AttributeKey.doubleKey("support.cost_usd")));

    // the conversation's start and its close are traced too: the close is a signal, which the
    // real server, unlike the in-memory one, delivers with its header
    post("/v1/conversations/" + id + "/close", customer, Map.of());
    SpanData close = await("POST /v1/conversations/{id}/close");
    SpanData closed = await(close.getTraceId(), "workflow ConversationWorkflow.close").stream()
        .filter(s -> s.getName().equals("workflow ConversationWorkflow.close")).findFirst().orElseThrow();
    assertEquals(close.getSpanId(), closed.getParentSpanId());
    SpanData create = await("POST /v1/conversations");
    SpanData run = await(create.getTraceId(), "workflow ConversationWorkflow").stream()
        .filter(s -> s.getName().equals("workflow ConversationWorkflow")).findFirst().orElseThrow();
    assertEquals(create.getSpanId(), run.getParentSpanId(), "the run continues the request that started it");
    // the turn log's batch is the run's work, written when the conversation was quiet or closed
    await(create.getTraceId(), "activity RecordAll");

    for (SpanData s : spans.getFinishedSpanItems()) {
      assertFalse(s.getName().contains(EMAIL) || s.getAttributes().toString().contains(EMAIL),
          "the customer's email in " + s);
    }
  }

  /** The first finished span named {@code name}, waiting up to ten seconds for it. */
  static SpanData await(String name) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var found = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no span " + name + " in " + names(spans.getFinishedSpanItems()));
  }

  /** The spans of trace {@code traceId}, once one named {@code last} has finished. */
  static List<SpanData> await(String traceId, String last) throws InterruptedException {
    List<SpanData> trace = List.of();
    for (int i = 0; i < 100; i++) {
      trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
      if (trace.stream().anyMatch(s -> s.getName().equals(last))) {
        return trace;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no span " + last + " in trace " + traceId + ": " + names(trace));
  }

  static SpanData only(List<SpanData> trace, String name, String tree) {
    List<SpanData> found = trace.stream().filter(s -> s.getName().equals(name)).toList();
    assertEquals(1, found.size(), name + " once in the trace: " + tree);
    return found.get(0);
  }

  static boolean descends(SpanData span, SpanData ancestor, Map<String, SpanData> byId) {
    for (SpanData s = span; s != null; s = byId.get(s.getParentSpanId())) {
      if (s.getSpanId().equals(ancestor.getSpanId())) {
        return true;
      }
    }
    return false;
  }

  /** The trace as an indented tree, for failure messages. */
  static String tree(List<SpanData> trace, SpanData node, int depth) {
    StringBuilder s = new StringBuilder("\n").append("  ".repeat(depth)).append(node.getName());
    trace.stream()
        .filter(c -> c.getParentSpanId().equals(node.getSpanId()))
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(c -> s.append(tree(trace, c, depth + 1)));
    return s.toString();
  }

  static List<String> names(List<SpanData> list) {
    return list.stream().map(SpanData::getName).toList();
  }
}
