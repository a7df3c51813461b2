package dev.supportagent.activities.model.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.supportagent.activities.model.OfflineAnswerer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider errors, time to first token and breaker states, recorded by a gateway against fake providers. */
class GatewayMetricsTest {

  static final GatewayRequest REQUEST = GatewayRequest.of("You answer from the help centre.", "How do I reset?", 256);
  static final OfflineProvider OFFLINE = request -> "Go to Settings. [1]";

  static TokenCountEstimator estimator;

  final InMemoryMetricReader reader = InMemoryMetricReader.create();
  final Meter meter = SdkMeterProvider.builder().registerMetricReader(reader).build().get("test");
  final AtomicLong clock = new AtomicLong(1_000_000);
  final InMemoryCircuitBreaker breaker =
      new InMemoryCircuitBreaker(
          new CircuitBreaker.Settings(2, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5)),
          clock::get);
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
  }

  ModelGateway gateway(String fastChain) {
    return ModelGateway.builder(ModelGatewayConfig.fromEnv(Map.of("SUPPORT_MODEL_FAST", fastChain)))
        .circuitBreaker(breaker)
        .retryPolicy(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1)))
        .timeouts(new GatewayTimeouts(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofSeconds(20)))
        .tokenCountEstimator(estimator)
        .meter(meter)
        .build();
  }

  Map<Attributes, Long> counts(List<MetricData> data, String name) {
    return data.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  Map<Attributes, Long> gauge(List<MetricData> data) {
    return data.stream()
        .filter(m -> m.getName().equals(GatewayMetrics.BREAKER))
        .flatMap(m -> m.getLongGaugeData().getPoints().stream())
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  Optional<HistogramPointData> firstToken(List<MetricData> data, Attributes attributes) {
    return data.stream()
        .filter(m -> m.getName().equals(GatewayMetrics.FIRST_TOKEN))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .filter(p -> p.getAttributes().equals(attributes))
        .findFirst();
  }

  static Attributes error(String provider, String model, String kind) {
    return Attributes.of(
        GatewayMetrics.PROVIDER, provider, GatewayMetrics.MODEL, model, GatewayMetrics.KIND, kind);
  }

  @Test
  void should_count_each_failed_request_by_provider_model_and_kind() {
    primary.enqueue(FakeModelServer.status(500), FakeModelServer.status(429));
    secondary.enqueue(FakeModelServer.status(400));
    ModelGateway gateway =
        gateway("openai:gpt-4o-mini@" + primary.baseUrl() + ",openai:gpt-4.1-mini@" + secondary.baseUrl() + ",offline");

    gateway.generate(ModelTier.FAST, REQUEST, OFFLINE, StreamListener.IGNORE);

    Map<Attributes, Long> errors = counts(List.copyOf(reader.collectAllMetrics()), GatewayMetrics.ERRORS);
    assertEquals(
        Map.of(
            error("openai", "gpt-4o-mini", "http_5xx"), 1L,
            error("openai", "gpt-4o-mini", "http_429"), 1L,
            error("openai", "gpt-4.1-mini", "http_4xx"), 1L),
        errors);
  }

  @Test
  void should_time_the_first_token_of_the_answer_given_by_provider_model_and_tier() {
    primary.enqueue(FakeModelServer.delayed(Duration.ofMillis(150), FakeModelServer.openAi(List.of("Hi", " there"))));

    gateway("openai:gpt-4o-mini@" + primary.baseUrl()).generate(ModelTier.FAST, REQUEST, OFFLINE, StreamListener.IGNORE);

    List<MetricData> data = List.copyOf(reader.collectAllMetrics());
    HistogramPointData point =
        firstToken(data, Attributes.of(
                GatewayMetrics.PROVIDER, "openai", GatewayMetrics.MODEL, "gpt-4o-mini", GatewayMetrics.TIER, "fast"))
            .orElseThrow(() -> new AssertionError(data.toString()));
    assertEquals(1, point.getCount());
    assertTrue(point.getSum() >= 0.15 && point.getSum() < 5, "seconds: " + point.getSum());
  }

  @Test
  void should_time_the_offline_answer_when_every_model_failed() {
    primary.enqueue(FakeModelServer.status(401));

    gateway("openai:gpt-4o-mini@" + primary.baseUrl()).generate(ModelTier.FAST, REQUEST, OFFLINE, StreamListener.IGNORE);

    assertTrue(
        firstToken(List.copyOf(reader.collectAllMetrics()), Attributes.of(
                GatewayMetrics.PROVIDER, "offline", GatewayMetrics.MODEL, OfflineAnswerer.MODEL,
                GatewayMetrics.TIER, "fast"))
            .isPresent());
  }

  @Test
  void should_report_each_endpoints_breaker_as_closed_then_open_then_half_open() {
    gateway("openai:gpt-4o-mini@" + primary.baseUrl() + ",anthropic:claude-3-5-haiku-latest@" + secondary.baseUrl());
    String openAi = "openai@" + primary.baseUrl();
    String anthropic = "anthropic@" + secondary.baseUrl();
    Attributes openAiBreaker = Attributes.of(GatewayMetrics.PROVIDER, "openai", GatewayMetrics.ENDPOINT, openAi);
    Attributes anthropicBreaker =
        Attributes.of(GatewayMetrics.PROVIDER, "anthropic", GatewayMetrics.ENDPOINT, anthropic);

    assertEquals(Map.of(openAiBreaker, 0L, anthropicBreaker, 0L), gauge(List.copyOf(reader.collectAllMetrics())));

    breaker.recordFailure(openAi);
    breaker.recordFailure(openAi);
    assertEquals(
        Map.of(openAiBreaker, 2L, anthropicBreaker, 0L), gauge(List.copyOf(reader.collectAllMetrics())),
        "an in-memory breaker is read at each collection");

    clock.addAndGet(Duration.ofSeconds(30).toMillis());
    assertEquals(1L, gauge(List.copyOf(reader.collectAllMetrics())).get(openAiBreaker));
  }

  @Test
  void should_report_the_last_reading_of_a_shared_breaker_and_read_it_again_only_when_old() {
    AtomicLong nanos = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    CircuitBreaker shared =
        new CircuitBreaker() {
          @Override
          public boolean tryAcquire(String endpoint) {
            return false;
          }

          @Override
          public void recordSuccess(String endpoint) {}

          @Override
          public void recordFailure(String endpoint) {}

          @Override
          public State state(String endpoint) {
            reads.incrementAndGet();
            return State.OPEN;
          }
        };
    List<Runnable> pending = new ArrayList<>();
    GatewayMetrics.BreakerReadings readings =
        new GatewayMetrics.BreakerReadings(
            shared, Map.of("openai@x", "openai"), pending::add, GatewayMetrics.BREAKER_MAX_AGE, nanos::get);
    RecordingMeasurement measured = new RecordingMeasurement();

    readings.observe(measured);
    assertEquals(Map.of(), measured.values, "nothing read yet: the scrape does not wait");
    readings.observe(measured);
    assertEquals(1, pending.size(), "one read at a time");
    pending.remove(0).run();
    readings.observe(measured);
    assertEquals(2L, measured.values.values().iterator().next());
    assertEquals(1, reads.get());
    assertTrue(pending.isEmpty(), "fresh: not read again");

    nanos.addAndGet(GatewayMetrics.BREAKER_MAX_AGE.toNanos());
    readings.observe(measured);
    assertEquals(1, pending.size(), "old: read again in the background");
  }

  @ParameterizedTest
  @CsvSource({
    "RATE_LIMITED, 429, http_429",
    "CLIENT_ERROR, 404, http_4xx",
    "SERVER_ERROR, 503, http_5xx",
    "TIMEOUT, 0, timeout",
    "TIMEOUT, 408, timeout",
    "CONNECTION, 0, connection",
    "STREAM_BROKEN, 0, stream_broken",
    "OTHER, 0, other"
  })
  void should_name_a_failure_kind_without_its_details(ProviderFailure.Kind kind, int status, String label) {
    assertEquals(label, GatewayMetrics.kind(new ProviderFailure(kind, status, Optional.empty(), "detail 123")));
  }

  /** The values a gauge callback recorded, by attributes. */
  static final class RecordingMeasurement implements ObservableLongMeasurement {
    final Map<Attributes, Long> values = new HashMap<>();

    @Override
    public void record(long value) {
      values.put(Attributes.empty(), value);
    }

    @Override
    public void record(long value, Attributes attributes) {
      values.put(attributes, value);
    }
  }
}
