package dev.supportagent.activities.model.gateway;

import dev.supportagent.activities.testing.TestRedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.supportagent.activities.model.gateway.CircuitBreaker.State;
import dev.supportagent.workflows.testing.IntegrationEnv;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The circuit breaker on the real Redis, shared by two "workers" (two breaker instances). */
class RedisCircuitBreakerIT {

  static final String EP = "openai@http://127.0.0.1:1/v1";
  static final CircuitBreaker.Settings SETTINGS =
      new CircuitBreaker.Settings(3, Duration.ofMillis(500), Duration.ofMillis(400), Duration.ofMillis(400));

  static RedissonClient redis;
  CircuitBreaker workerA;
  CircuitBreaker workerB;
  String prefix;

  static RedissonClient connect() {
    return TestRedis.connect();
  }

  @BeforeAll
  static void start() {
    redis = connect();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.getKeys().deleteByPattern("it:breaker:*");
      redis.shutdown();
    }
  }

  @BeforeEach
  void breakers() {
    prefix = "it:breaker:" + UUID.randomUUID() + ":";
    workerA = new RedisCircuitBreaker(redis, prefix, SETTINGS);
    workerB = new RedisCircuitBreaker(redis, prefix, SETTINGS);
  }

  @Test
  void should_open_for_every_worker_after_failures_seen_by_several() {
    workerA.recordFailure(EP);
    workerB.recordFailure(EP);
    assertEquals(State.CLOSED, workerA.state(EP));
    assertTrue(workerB.tryAcquire(EP));

    workerA.recordFailure(EP);

    assertEquals(State.OPEN, workerB.state(EP));
    assertFalse(workerB.tryAcquire(EP));
    assertFalse(workerA.tryAcquire(EP));
    assertTrue(workerA.tryAcquire("anthropic@https://api.anthropic.com/v1"), "endpoints have their own breakers");
  }

  @Test
  void should_forget_failures_on_success_and_after_the_window() throws Exception {
    workerA.recordFailure(EP);
    workerA.recordFailure(EP);
    workerB.recordSuccess(EP);
    workerA.recordFailure(EP);
    workerA.recordFailure(EP);
    assertEquals(State.CLOSED, workerA.state(EP), "the success reset the count");

    Thread.sleep(600);
    workerA.recordFailure(EP);

    assertEquals(State.CLOSED, workerA.state(EP), "the earlier failures expired");
  }

  @Test
  void should_give_one_worker_the_trial_after_the_cool_down_and_reopen_when_it_fails() throws Exception {
    open();
    Thread.sleep(450);

    assertEquals(State.HALF_OPEN, workerA.state(EP));
    assertTrue(workerA.tryAcquire(EP), "worker A takes the trial");
    assertFalse(workerB.tryAcquire(EP), "worker B waits for it");
    workerA.recordFailure(EP);

    assertEquals(State.OPEN, workerB.state(EP));
    assertFalse(workerB.tryAcquire(EP));
  }

  @Test
  void should_close_when_the_trial_succeeds() throws Exception {
    open();
    Thread.sleep(450);
    assertTrue(workerB.tryAcquire(EP));

    workerB.recordSuccess(EP);

    assertEquals(State.CLOSED, workerA.state(EP));
    assertTrue(workerA.tryAcquire(EP));
    assertTrue(workerA.tryAcquire(EP));
  }

  @Test
  void should_let_another_worker_try_when_a_trial_lease_ends_unreported() throws Exception {
    open();
    Thread.sleep(450);
    assertTrue(workerA.tryAcquire(EP));
    Thread.sleep(450);

    assertTrue(workerB.tryAcquire(EP));
  }

  @Test
  void should_let_calls_through_when_redis_is_unreachable() {
    RedissonClient gone = connect();
    CircuitBreaker breaker = new RedisCircuitBreaker(gone, prefix, SETTINGS);
    gone.shutdown();

    assertTrue(breaker.tryAcquire(EP));
    breaker.recordFailure(EP);
    breaker.recordSuccess(EP);
  }

  @Test
  void should_skip_a_provider_another_workers_gateway_found_failing() throws Exception {
    try (FakeModelServer failing = new FakeModelServer()) {
      for (int i = 0; i < 3; i++) {
        failing.enqueue(FakeModelServer.status(503));
      }
      var config = ModelGatewayConfig.fromEnv(Map.of("SUPPORT_MODEL_FAST", "openai:gpt-4o-mini@" + failing.baseUrl()));
      var estimator = new HuggingFaceTokenCountEstimator();
      var retry = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1));
      ModelGateway gatewayA =
          ModelGateway.builder(config).circuitBreaker(workerA).retryPolicy(retry).tokenCountEstimator(estimator).build();
      ModelGateway gatewayB =
          ModelGateway.builder(config).circuitBreaker(workerB).retryPolicy(retry).tokenCountEstimator(estimator).build();
      GatewayRequest request = GatewayRequest.of(null, "How do I reset?", 64);

      gatewayA.generate(ModelTier.FAST, request, r -> "offline answer", StreamListener.IGNORE);
      gatewayA.generate(ModelTier.FAST, request, r -> "offline answer", StreamListener.IGNORE);
      assertEquals(3, failing.requestCount());
      GatewayResponse fromB = gatewayB.generate(ModelTier.FAST, request, r -> "offline answer", StreamListener.IGNORE);

      assertEquals(3, failing.requestCount(), "worker B made no request");
      assertEquals(
          List.of(new ModelCall.Fallback("openai:gpt-4o-mini@" + failing.baseUrl(), "circuit open", 0)),
          fromB.call().fallbacks());
      assertEquals("offline answer", fromB.text());
    }
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      workerA.recordFailure(EP);
    }
    assertEquals(State.OPEN, workerB.state(EP));
  }
}
