package dev.supportagent.activities.model.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.supportagent.activities.model.OfflineAnswerer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's {@code chat <model>} spans: one per request, GenAI attributes, no text. */
class ModelCallSpansTest {

  static final String SECRET_QUESTION = "How do I reset? I am ana@example.com";
  static final GatewayRequest REQUEST = GatewayRequest.of("You answer from the help centre.", SECRET_QUESTION, 256);

  static HuggingFaceTokenCountEstimator estimator;

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  FakeModelServer primary;
  FakeModelServer secondary;

  @BeforeAll
  static void loadTokenizer() {
    estimator = new HuggingFaceTokenCountEstimator();
  }

  @BeforeEach
  void start() throws Exception {
    primary = new FakeModelServer();
    secondary = new FakeModelServer();
  }

  @AfterEach
  void stop() {
    primary.close();
    secondary.close();
    tracing.close();
  }

  ModelGateway gateway(String fastChain) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SUPPORT_MODEL_FAST", fastChain);
    return ModelGateway.builder(ModelGatewayConfig.fromEnv(vars))
        .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(3)))
        .timeouts(new GatewayTimeouts(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofSeconds(20)))
        .tokenCountEstimator(estimator)
        .tracer(tracing.get("test"))
        .build();
  }

  GatewayResponse generate(ModelGateway gateway) {
    return gateway.generate(ModelTier.FAST, REQUEST, request -> "Go to Settings. [1]", new StreamListener() {
      @Override
      public void token(String text) {}

      @Override
      public void reset() {}
    });
  }

  String openAi(FakeModelServer server, String model) {
    return "openai:" + model + "@" + server.baseUrl();
  }

  @Test
  void should_trace_a_model_call_with_genai_attributes_under_the_current_span() {
    Span stage = tracing.get("test").spanBuilder("support.stage generation").startSpan();
    GatewayResponse r;
    try (Scope ignored = stage.makeCurrent()) {
      r = generate(gateway(openAi(primary, "gpt-4o-mini")));
    } finally {
      stage.end();
    }

    SpanData chat = only("chat gpt-4o-mini");
    assertEquals(SpanKind.CLIENT, chat.getKind());
    assertEquals(stage.getSpanContext().getSpanId(), chat.getParentSpanId());
    var a = chat.getAttributes();
    assertEquals("chat", a.get(ModelCallSpans.OPERATION));
    assertEquals("openai", a.get(ModelCallSpans.PROVIDER));
    assertEquals("openai", a.get(ModelCallSpans.SYSTEM));
    assertEquals("gpt-4o-mini", a.get(ModelCallSpans.REQUEST_MODEL));
    assertEquals("m", a.get(ModelCallSpans.RESPONSE_MODEL), "the model the provider says answered");
    assertEquals(r.call().tokensIn(), a.get(ModelCallSpans.INPUT_TOKENS));
    assertEquals(3L, a.get(ModelCallSpans.OUTPUT_TOKENS));
    assertEquals(r.call().costUsd(), a.get(ModelCallSpans.COST));
    assertTrue(r.call().costUsd() > 0);
    assertEquals(1L, a.get(ModelCallSpans.ATTEMPT));
    assertEquals(0L, a.get(ModelCallSpans.FALLBACKS));
    assertEquals("fast", a.get(ModelCallSpans.TIER));
    assertEquals(StatusCode.UNSET, chat.getStatus().getStatusCode());
    assertNoText();
  }

  @Test
  void should_trace_each_failed_attempt_and_the_fallback_that_answered() {
    primary.enqueue(FakeModelServer.status(500), FakeModelServer.status(503));
    secondary.enqueue(FakeModelServer.openAi(List.of("From", " backup")));

    generate(gateway(openAi(primary, "gpt-4o-mini") + "," + openAi(secondary, "gpt-4.1-mini")));

    List<SpanData> failed = named("chat gpt-4o-mini");
    assertEquals(2, failed.size());
    for (int i = 0; i < 2; i++) {
      SpanData s = failed.get(i);
      assertEquals(StatusCode.ERROR, s.getStatus().getStatusCode());
      assertEquals("server_error", s.getAttributes().get(ModelCallSpans.ERROR_TYPE));
      assertEquals(i + 1L, s.getAttributes().get(ModelCallSpans.ATTEMPT));
      assertEquals(null, s.getAttributes().get(ModelCallSpans.OUTPUT_TOKENS));
    }
    assertEquals(500L, failed.get(0).getAttributes().get(ModelCallSpans.HTTP_STATUS));
    SpanData answered = only("chat gpt-4.1-mini");
    assertEquals(3L, answered.getAttributes().get(ModelCallSpans.ATTEMPT));
    assertEquals(1L, answered.getAttributes().get(ModelCallSpans.FALLBACKS));
    assertEquals(2L, answered.getAttributes().get(ModelCallSpans.OUTPUT_TOKENS));
    assertNoText();
  }

  @Test
  void should_trace_the_offline_answer_as_a_free_model_call() {
    primary.enqueue(FakeModelServer.status(401));

    generate(gateway(openAi(primary, "gpt-4o-mini")));

    SpanData offline = only("chat " + OfflineAnswerer.MODEL);
    var a = offline.getAttributes();
    assertEquals("offline", a.get(ModelCallSpans.PROVIDER));
    assertEquals(OfflineAnswerer.MODEL, a.get(ModelCallSpans.RESPONSE_MODEL));
    assertEquals(0.0, a.get(ModelCallSpans.COST));
    assertTrue(a.get(ModelCallSpans.OUTPUT_TOKENS) > 0);
    assertEquals(Boolean.TRUE, a.get(ModelCallSpans.TOKENS_ESTIMATED));
    assertEquals(2L, a.get(ModelCallSpans.ATTEMPT));
    assertEquals(1L, a.get(ModelCallSpans.FALLBACKS));
    assertEquals("client_error", only("chat gpt-4o-mini").getAttributes().get(ModelCallSpans.ERROR_TYPE));
  }

  private void assertNoText() {
    for (SpanData s : spans.getFinishedSpanItems()) {
      String attributes = s.getAttributes().toString();
      assertFalse(attributes.contains("reset") || attributes.contains("ana@example.com")
          || attributes.contains("help centre") || attributes.contains("backup") || attributes.contains("world"),
          attributes);
    }
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData only(String name) {
    List<SpanData> found = named(name);
    assertEquals(1, found.size(), name + " in " + spans.getFinishedSpanItems());
    return found.get(0);
  }
}
