package dev.supportagent.activities.model.gateway;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway on {@code /metrics} (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@value #ERRORS} ({@code support_model_provider_errors_total}): failed requests to a
 *       provider, retried or not, by {@code provider}, {@code model} and {@code kind} ({@link
 *       #kind(ProviderFailure)});
 *   <li>{@value #FIRST_TOKEN} ({@code support_model_first_token_duration_seconds}): from the
 *       gateway call to the first token of the answer it returned, failed attempts and fallbacks
 *       included, by {@code provider}, {@code model} and {@code tier};
 *   <li>{@value #BREAKER} ({@code support_model_breaker_state}): each provider endpoint's circuit
 *       breaker, 0 closed, 1 half-open, 2 open, by {@code provider} and {@code endpoint} (the
 *       breaker key, {@code openai@https://api.openai.com/v1}).
 * </ul>
 *
 * A breaker whose state lives in this process is read at collection. A shared one (Redis) is read
 * in the background, at most once per {@link #BREAKER_MAX_AGE}, and collection reports the last
 * reading, so a slow or unreachable Redis never holds up a scrape; an endpoint whose state could
 * not be read yet is left out.
 */
public final class GatewayMetrics {

  private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);

  public static final String ERRORS = "support.model.provider.errors";
  public static final String FIRST_TOKEN = "support.model.first_token.duration";
  public static final String BREAKER = "support.model.breaker.state";
  static final Duration BREAKER_MAX_AGE = Duration.ofSeconds(10);

  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("model");
  static final AttributeKey<String> TIER = AttributeKey.stringKey("tier");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");

  private static final List<Double> BOUNDARIES =
      List.of(0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0);

  /** No instruments: what a gateway built without a meter records to. */
  static final GatewayMetrics NONE =
      new GatewayMetrics(OpenTelemetry.noop().getMeter("dev.supportagent"), null, List.of(), Runnable::run, Duration.ZERO);

  private static final Executor BACKGROUND =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "breaker-state-reader");
            t.setDaemon(true);
            return t;
          });

  private final LongCounter errors;
  private final DoubleHistogram firstToken;
  private final BreakerReadings breakers;

  /**
   * @param endpoints the entries whose breakers are reported (offline entries are skipped)
   */
  static GatewayMetrics create(Meter meter, CircuitBreaker breaker, Collection<ModelEndpoint> endpoints) {
    // an in-memory breaker is a synchronized map lookup: cheap enough to read in every scrape
    return breaker instanceof InMemoryCircuitBreaker
        ? new GatewayMetrics(meter, breaker, endpoints, Runnable::run, Duration.ZERO)
        : new GatewayMetrics(meter, breaker, endpoints, BACKGROUND, BREAKER_MAX_AGE);
  }

  private GatewayMetrics(
      Meter meter, CircuitBreaker breaker, Collection<ModelEndpoint> endpoints, Executor refresh, Duration maxAge) {
    errors =
        meter
            .counterBuilder(ERRORS)
            .setDescription("Failed model provider requests, by provider, model and kind of failure")
            .build();
    firstToken =
        meter
            .histogramBuilder(FIRST_TOKEN)
            .setUnit("s")
            .setDescription("From the gateway call to the answer's first token, by provider, model and tier")
            .setExplicitBucketBoundariesAdvice(BOUNDARIES)
            .build();
    Map<String, String> providers = new LinkedHashMap<>();
    for (ModelEndpoint e : endpoints) {
      if (!e.offline()) {
        providers.putIfAbsent(e.breakerKey(), e.provider().id());
      }
    }
    breakers = new BreakerReadings(breaker, providers, refresh, maxAge, System::nanoTime);
    if (breaker != null && !providers.isEmpty()) {
      meter
          .gaugeBuilder(BREAKER)
          .ofLongs()
          .setDescription("Circuit breaker state per provider endpoint: 0 closed, 1 half-open, 2 open")
          .buildWithCallback(breakers::observe);
    }
  }

  void providerError(ModelEndpoint endpoint, ProviderFailure failure) {
    errors.add(1, Attributes.of(PROVIDER, endpoint.provider().id(), MODEL, endpoint.model(), KIND, kind(failure)));
  }

  void firstToken(ModelTier tier, String provider, String model, long nanos) {
    firstToken.record(nanos / 1e9, Attributes.of(PROVIDER, provider, MODEL, model, TIER, tier.label()));
  }

  /**
   * The failure's kind as a label: {@code http_429}, {@code http_4xx}, {@code http_5xx}, {@code
   * timeout}, {@code connection}, {@code stream_broken} or {@code other}.
   */
  static String kind(ProviderFailure failure) {
    return switch (failure.kind()) {
      case RATE_LIMITED -> "http_429";
      case CLIENT_ERROR -> "http_4xx";
      case SERVER_ERROR -> "http_5xx";
      case TIMEOUT -> "timeout";
      case CONNECTION -> "connection";
      case STREAM_BROKEN -> "stream_broken";
      case OTHER -> "other";
    };
  }

  /** The gauge's value for a state. */
  static long value(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** The last reading of each endpoint's breaker, read again when older than the maximum age. */
  static final class BreakerReadings {
    private final CircuitBreaker breaker;
    private final Map<String, String> providers;
    private final Executor refresh;
    private final long maxAgeNanos;
    private final LongSupplier nanos;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Map<String, CircuitBreaker.State> last = Map.of();
    private volatile long readAt;
    private volatile boolean read;

    BreakerReadings(
        CircuitBreaker breaker, Map<String, String> providers, Executor refresh, Duration maxAge, LongSupplier nanos) {
      this.breaker = breaker;
      this.providers = Map.copyOf(providers);
      this.refresh = refresh;
      this.maxAgeNanos = maxAge.toNanos();
      this.nanos = nanos;
    }

    void observe(ObservableLongMeasurement measurement) {
      if (!read || nanos.getAsLong() - readAt >= maxAgeNanos) {
        if (refreshing.compareAndSet(false, true)) {
          refresh.execute(this::read);
        }
      }
      last.forEach(
          (key, state) ->
              measurement.record(value(state), Attributes.of(PROVIDER, providers.get(key), ENDPOINT, key)));
    }

    private void read() {
      try {
        Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
        for (String key : providers.keySet()) {
          try {
            states.put(key, breaker.state(key));
          } catch (RuntimeException e) {
            log.debug("breaker state of {} unreadable: {}", key, e.toString());
          }
        }
        last = Map.copyOf(states);
        readAt = nanos.getAsLong();
        read = true;
      } finally {
        refreshing.set(false);
      }
    }
  }
}
