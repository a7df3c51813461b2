package dev.supportagent.activities.model.gateway;

import static dev.supportagent.activities.model.gateway.FakeModelServer.DEFAULT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.activities.model.gateway.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against local fake OpenAI and Anthropic servers, through langchain4j's clients. */
class ModelGatewayTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String OFFLINE_TEXT = "Go to Settings > Account. [1]";
  static final OfflineProvider OFFLINE = request -> OFFLINE_TEXT;
  static final GatewayRequest REQUEST = GatewayRequest.of("You answer from the help centre.", "How do I reset?", 256);
  static final Duration FIRST_TOKEN = Duration.ofMillis(400);

  static TokenCountEstimator estimator;

  FakeModelServer primary;
  FakeModelServer secondary;
  InMemoryCircuitBreaker breaker =
      new InMemoryCircuitBreaker(
          new CircuitBreaker.Settings(3, Duration.ofSeconds(60), Duration.ofMillis(400), Duration.ofSeconds(5)));
  RecordingListener listener = new RecordingListener();

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
  }

  /** Tokens and resets in the order the listener saw them. */
  static final class RecordingListener implements StreamListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void token(String text) {
      events.add(text);
    }

    @Override
    public void reset() {
      events.add("RESET");
    }
  }

  ModelGateway gateway(String fastChain, String... env) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SUPPORT_MODEL_FAST", fastChain);
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    return ModelGateway.builder(ModelGatewayConfig.fromEnv(vars))
        .circuitBreaker(breaker)
        .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(3)))
        .timeouts(new GatewayTimeouts(FIRST_TOKEN, Duration.ofMillis(400), Duration.ofSeconds(20)))
        .tokenCountEstimator(estimator)
        .build();
  }

  String openAi(FakeModelServer server) {
    return "openai:gpt-4o-mini@" + server.baseUrl();
  }

  String openAi(FakeModelServer server, String model) {
    return "openai:" + model + "@" + server.baseUrl();
  }

  GatewayResponse generate(ModelGateway gateway) {
    return gateway.generate(ModelTier.FAST, REQUEST, OFFLINE, listener);
  }

  @Test
  void should_stream_an_openai_answer_with_its_usage_and_cost() throws Exception {
    GatewayResponse r = generate(gateway(openAi(primary)));

    assertEquals("Hello world", r.text());
    assertEquals(DEFAULT_TOKENS, listener.events);
    ModelCall call = r.call();
    assertEquals("openai", call.provider());
    assertEquals("gpt-4o-mini", call.model());
    assertEquals(ModelTier.FAST, call.tier());
    assertEquals(12, call.tokensIn());
    assertEquals(3, call.tokensOut());
    assertFalse(call.tokensEstimated());
    assertTrue(call.priced());
    assertEquals((12 * 0.15 + 3 * 0.60) / 1e6, call.costUsd(), 1e-15);
    assertEquals(1, call.attempts());
    assertEquals(List.of(), call.fallbacks());

    FakeModelServer.Request sent = primary.requests().get(0);
    assertEquals("/v1/chat/completions", sent.path(), "the configured base URL, path kept");
    JsonNode body = JSON.readTree(sent.body());
    assertTrue(body.get("stream").asBoolean());
    assertTrue(body.at("/stream_options/include_usage").asBoolean(), sent.body());
    assertEquals("gpt-4o-mini", body.get("model").asText());
    assertEquals(256, body.get("max_tokens").asInt(), sent.body());
    assertEquals("system", body.at("/messages/0/role").asText());
    assertEquals("How do I reset?", body.at("/messages/1/content").asText());
    assertNull(sent.header("Authorization"), "no key configured for a server by base URL");
    assertNull(sent.header("Upgrade"), "HTTP/1.1, no h2c upgrade");
  }

  @Test
  void should_send_the_openai_key_when_configured() {
    generate(gateway(openAi(primary), "OPENAI_API_KEY", "sk-test"));

    assertEquals("Bearer sk-test", primary.requests().get(0).header("Authorization"));
  }

  @Test
  void should_stream_an_anthropic_answer_with_its_usage() throws Exception {
    GatewayResponse r =
        generate(
            gateway(
                "anthropic:claude-3-5-haiku-latest@" + primary.baseUrl(), "ANTHROPIC_API_KEY", "ant-test"));

    assertEquals("Hello world", r.text());
    assertEquals(DEFAULT_TOKENS, listener.events);
    assertEquals("anthropic", r.call().provider());
    assertEquals(25, r.call().tokensIn());
    assertEquals(7, r.call().tokensOut(), "message_delta's cumulative output_tokens");
    assertFalse(r.call().tokensEstimated());
    assertEquals((25 * 0.80 + 7 * 4.00) / 1e6, r.call().costUsd(), 1e-15);

    FakeModelServer.Request sent = primary.requests().get(0);
    assertEquals("/v1/messages", sent.path());
    assertEquals("ant-test", sent.header("x-api-key"));
    JsonNode body = JSON.readTree(sent.body());
    assertTrue(body.get("stream").asBoolean());
    assertEquals(256, body.get("max_tokens").asInt());
    assertTrue(body.get("system").toString().contains("You answer from the help centre."), sent.body());
  }

  @Test
  void should_estimate_tokens_and_say_so_when_the_provider_reports_no_usage() {
    primary.enqueue(FakeModelServer.openAi(DEFAULT_TOKENS, false));

    ModelCall call = generate(gateway(openAi(primary))).call();

    assertTrue(call.tokensEstimated());
    assertTrue(call.tokensIn() > 5, "system and user prompt: " + call.tokensIn());
    assertTrue(call.tokensOut() >= 2, "'Hello world': " + call.tokensOut());
    assertTrue(call.costUsd() > 0);
  }

  @Test
  void should_retry_a_429_after_its_retry_after_on_the_same_provider() {
    primary.enqueue(FakeModelServer.status(429, "Retry-After", "1"));

    GatewayResponse r = generate(gateway(openAi(primary)));

    assertEquals("Hello world", r.text());
    assertEquals(2, r.call().attempts());
    assertEquals(List.of(), r.call().fallbacks());
    assertEquals(DEFAULT_TOKENS, listener.events, "nothing streamed before the 429, so no reset");
    List<FakeModelServer.Request> requests = primary.requests();
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(requests.get(1).atNanos() - requests.get(0).atNanos());
    assertTrue(waitedMs >= 1000, "retried after " + waitedMs + " ms, before the Retry-After of 1 s");
    assertTrue(waitedMs < 2500, "waited " + waitedMs + " ms");
  }

  @Test
  void should_fall_back_to_the_next_entry_after_two_server_errors() {
    primary.enqueue(FakeModelServer.status(500), FakeModelServer.status(503));
    secondary.enqueue(FakeModelServer.openAi(List.of("From", " backup")));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary, "gpt-4.1-mini")));

    assertEquals("From backup", r.text());
    assertEquals(2, primary.requestCount());
    assertEquals(1, secondary.requestCount());
    assertEquals("gpt-4.1-mini", r.call().model());
    assertEquals(3, r.call().attempts());
    assertEquals(
        List.of(new ModelCall.Fallback(openAi(primary), "http 503 after 2 attempts", 2)), r.call().fallbacks());
  }

  @Test
  void should_fall_back_at_once_without_retrying_a_400() {
    primary.enqueue(FakeModelServer.status(400));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    assertEquals(1, primary.requestCount(), "a 400 is not retried");
    assertEquals(1, secondary.requestCount());
    assertEquals(List.of(new ModelCall.Fallback(openAi(primary), "http 400", 1)), r.call().fallbacks());
    assertEquals(State.CLOSED, breaker.state(new ModelEndpoint(ProviderKind.OPENAI, "x", primary.baseUrl()).breakerKey()));
  }

  @Test
  void should_fall_back_when_a_provider_hangs_past_the_timeout() {
    primary.enqueue(FakeModelServer.hang(Duration.ofSeconds(5)), FakeModelServer.hang(Duration.ofSeconds(5)));
    long start = System.nanoTime();

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("Hello world", r.text());
    assertEquals(2, primary.requestCount());
    ModelCall.Fallback fallback = r.call().fallbacks().get(0);
    assertTrue(fallback.reason().startsWith("timeout"), fallback.reason());
    assertTrue(tookMs < 3000, "two timeouts of 400 ms and a backoff, not the 5 s hang: " + tookMs + " ms");
  }

  @Test
  void should_reset_the_listener_before_a_retry_or_fallback_when_a_stream_breaks_midway() {
    primary.enqueue(
        FakeModelServer.openAiBreakingAfter(List.of("Partial", " answer")),
        FakeModelServer.openAiStallingAfter(List.of("Stalled"), Duration.ofSeconds(3)));
    secondary.enqueue(FakeModelServer.openAi(List.of("Whole", " answer")));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    assertEquals(
        List.of("Partial", " answer", "RESET", "Stalled", "RESET", "Whole", " answer"), listener.events);
    assertEquals("Whole answer", r.text());
    ModelCall.Fallback fallback = r.call().fallbacks().get(0);
    assertEquals("timeout: no token for 400 ms after 2 attempts", fallback.reason());
  }

  @Test
  void should_treat_malformed_json_in_a_stream_as_a_failure_and_never_mix_answers() {
    primary.enqueue(
        FakeModelServer.openAiMalformedAfter(List.of("Half")), FakeModelServer.openAiMalformedAfter(List.of("Half")));
    secondary.enqueue(FakeModelServer.openAi(List.of("Clean", " answer")));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    assertEquals(List.of("Half", "RESET", "Half", "RESET", "Clean", " answer"), listener.events);
    assertEquals("Clean answer", r.text());
    assertEquals(1, r.call().fallbacks().size());
  }

  @Test
  void should_wait_for_a_slow_first_token_within_the_timeout_without_retrying() {
    primary.enqueue(FakeModelServer.delayed(Duration.ofMillis(250), FakeModelServer.openAi(List.of("Slow", " start"))));

    GatewayResponse r = generate(gateway(openAi(primary)));

    assertEquals("Slow start", r.text());
    assertEquals(1, primary.requestCount());
    assertEquals(1, r.call().attempts());
    assertTrue(r.call().fallbacks().isEmpty());
  }

  @Test
  void should_treat_a_stream_that_ends_without_finishing_as_broken() {
    primary.enqueue(
        FakeModelServer.openAiEndingEarly(List.of("Cut")), FakeModelServer.openAiEndingEarly(List.of("Cut")));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    assertEquals(List.of("Cut", "RESET", "Cut", "RESET", "Hel", "lo", " world"), listener.events);
    assertTrue(r.call().fallbacks().get(0).reason().startsWith("stream broken"), r.call().fallbacks().toString());
  }

  @Test
  void should_open_the_breaker_and_then_skip_the_provider_without_a_request() {
    primary.enqueue(FakeModelServer.status(500), FakeModelServer.status(500), FakeModelServer.status(500));
    ModelGateway gateway = gateway(openAi(primary) + "," + openAi(secondary));
    String key = new ModelEndpoint(ProviderKind.OPENAI, "gpt-4o-mini", primary.baseUrl()).breakerKey();

    generate(gateway);
    assertEquals(State.CLOSED, breaker.state(key), "two failures, threshold three");
    GatewayResponse second = generate(gateway);
    assertEquals(State.OPEN, breaker.state(key));
    assertEquals(
        List.of(new ModelCall.Fallback(openAi(primary), "circuit opened", 1)),
        second.call().fallbacks(),
        "the third failure opened it, so no retry");
    assertEquals(3, primary.requestCount());

    GatewayResponse third = generate(gateway);

    assertEquals(3, primary.requestCount(), "no request to an open endpoint");
    assertEquals(List.of(new ModelCall.Fallback(openAi(primary), "circuit open", 0)), third.call().fallbacks());
    assertEquals(1, third.call().attempts());
    assertEquals("Hello world", third.text());
  }

  @Test
  void should_let_one_trial_through_after_the_cool_down_and_close_on_success() throws Exception {
    ModelGateway gateway = gateway(openAi(primary) + "," + openAi(secondary));
    String key = new ModelEndpoint(ProviderKind.OPENAI, "gpt-4o-mini", primary.baseUrl()).breakerKey();
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure(key);
    }
    generate(gateway);
    assertEquals(0, primary.requestCount());

    Thread.sleep(450);
    assertEquals(State.HALF_OPEN, breaker.state(key));
    primary.enqueue(FakeModelServer.status(502));
    GatewayResponse failedTrial = generate(gateway);

    assertEquals(1, primary.requestCount(), "one trial, and no retry once it reopened");
    assertEquals(State.OPEN, breaker.state(key));
    assertEquals("circuit opened", failedTrial.call().fallbacks().get(0).reason());

    Thread.sleep(450);
    GatewayResponse passedTrial = generate(gateway);

    assertEquals(2, primary.requestCount());
    assertEquals(State.CLOSED, breaker.state(key));
    assertEquals(List.of(), passedTrial.call().fallbacks());
  }

  @Test
  void should_stream_the_offline_answer_word_by_word() {
    GatewayResponse r = generate(gateway("offline"));

    assertEquals(List.of("Go ", "to ", "Settings ", "> ", "Account. ", "[1]"), listener.events);
    assertEquals(OFFLINE_TEXT, r.text());
    ModelCall call = r.call();
    assertEquals("offline", call.provider());
    assertEquals(OfflineAnswerer.MODEL, call.model());
    assertEquals(0.0, call.costUsd());
    assertTrue(call.tokensEstimated());
    assertEquals(1, call.attempts());
  }

  @Test
  void should_answer_offline_when_every_model_fails() {
    primary.enqueue(FakeModelServer.status(401));
    secondary.enqueue(FakeModelServer.status(500), FakeModelServer.status(500));

    GatewayResponse r = generate(gateway(openAi(primary) + "," + openAi(secondary)));

    assertEquals(OFFLINE_TEXT, r.text());
    assertEquals("offline", r.call().provider());
    assertEquals(
        List.of(
            new ModelCall.Fallback(openAi(primary), "http 401", 1),
            new ModelCall.Fallback(openAi(secondary), "http 500 after 2 attempts", 2)),
        r.call().fallbacks());
    assertEquals(4, r.call().attempts());
  }

  @Test
  void should_skip_to_offline_once_the_call_deadline_has_passed() {
    primary.enqueue(FakeModelServer.hang(Duration.ofSeconds(3)));
    ModelGateway gateway =
        ModelGateway.builder(
                ModelGatewayConfig.fromEnv(
                    Map.of("SUPPORT_MODEL_FAST", openAi(primary) + "," + openAi(secondary))))
            .circuitBreaker(breaker)
            .timeouts(new GatewayTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300)))
            .tokenCountEstimator(estimator)
            .build();

    GatewayResponse r = generate(gateway);

    assertEquals("offline", r.call().provider());
    assertEquals(0, secondary.requestCount());
    assertEquals(
        List.of(
            new ModelCall.Fallback(openAi(primary), "timeout: call deadline reached", 1),
            new ModelCall.Fallback(openAi(secondary), "call deadline reached", 0)),
        r.call().fallbacks());
  }
}
