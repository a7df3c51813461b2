package dev.supportagent.activities.model.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.model.gateway.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryCircuitBreakerTest {

  static final String EP = "openai@http://127.0.0.1:1/v1";
  final AtomicLong now = new AtomicLong(1_000_000);
  final CircuitBreaker breaker =
      new InMemoryCircuitBreaker(
          new CircuitBreaker.Settings(3, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5)),
          now::get);

  @Test
  void should_open_after_threshold_consecutive_failures_and_refuse_calls() {
    breaker.recordFailure(EP);
    breaker.recordFailure(EP);
    assertEquals(State.CLOSED, breaker.state(EP));
    assertTrue(breaker.tryAcquire(EP));

    breaker.recordFailure(EP);

    assertEquals(State.OPEN, breaker.state(EP));
    assertFalse(breaker.tryAcquire(EP));
    assertTrue(breaker.tryAcquire("anthropic@https://api.anthropic.com/v1"), "other endpoints unaffected");
  }

  @Test
  void should_forget_failures_after_a_success() {
    breaker.recordFailure(EP);
    breaker.recordFailure(EP);
    breaker.recordSuccess(EP);
    breaker.recordFailure(EP);
    breaker.recordFailure(EP);

    assertEquals(State.CLOSED, breaker.state(EP));
  }

  @Test
  void should_not_count_failures_further_apart_than_the_window() {
    breaker.recordFailure(EP);
    breaker.recordFailure(EP);
    now.addAndGet(11_000);
    breaker.recordFailure(EP);

    assertEquals(State.CLOSED, breaker.state(EP));
  }

  @Test
  void should_half_open_after_the_cool_down_with_one_trial_that_closes_on_success() {
    open();
    now.addAndGet(30_000);

    assertEquals(State.HALF_OPEN, breaker.state(EP));
    assertTrue(breaker.tryAcquire(EP), "the trial call");
    assertFalse(breaker.tryAcquire(EP), "only one trial at a time");
    breaker.recordSuccess(EP);

    assertEquals(State.CLOSED, breaker.state(EP));
    assertTrue(breaker.tryAcquire(EP));
  }

  @Test
  void should_reopen_when_the_trial_fails() {
    open();
    now.addAndGet(30_000);
    assertTrue(breaker.tryAcquire(EP));

    breaker.recordFailure(EP);

    assertEquals(State.OPEN, breaker.state(EP));
    assertFalse(breaker.tryAcquire(EP));
    now.addAndGet(30_000);
    assertTrue(breaker.tryAcquire(EP), "a full cool-down later, another trial");
  }

  @Test
  void should_let_another_trial_through_when_a_trial_lease_ends_unreported() {
    open();
    now.addAndGet(30_000);
    assertTrue(breaker.tryAcquire(EP));
    now.addAndGet(5_000);

    assertTrue(breaker.tryAcquire(EP));
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.recordFailure(EP);
    }
    assertEquals(State.OPEN, breaker.state(EP));
  }
}
