package dev.supportagent.activities.model.gateway;

import java.time.Duration;

/**
 * A circuit breaker per provider endpoint ({@link ModelEndpoint#breakerKey()}). Closed, calls go
 * ahead; after {@link Settings#failureThreshold()} consecutive failures it opens and calls skip the
 * endpoint; after {@link Settings#coolDown()} it is half-open and lets one trial call through,
 * whose success closes it and whose failure opens it again.
 *
 * <p>Only failures that say the endpoint is unwell count: 429, 5xx, timeouts, connection errors and
 * broken streams. A 4xx that rejects the request (400, 401, 404) says nothing about its health.
 */
public interface CircuitBreaker {

  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /**
   * @param failureThreshold consecutive failures that open the breaker
   * @param failureWindow a failure older than this no longer counts towards the threshold
   * @param coolDown how long the breaker stays open before letting a trial call through
   * @param trialLease how long a trial call holds its permit; past it (the caller died or hung)
   *     another caller may try. At least the longest call the gateway makes.
   */
  record Settings(int failureThreshold, Duration failureWindow, Duration coolDown, Duration trialLease) {

    public static final Settings DEFAULT =
        new Settings(5, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public Settings {
      if (failureThreshold < 1) {
        throw new IllegalArgumentException("failureThreshold must be at least 1");
      }
      for (Duration d : new Duration[] {failureWindow, coolDown, trialLease}) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("breaker durations must be positive");
        }
      }
    }
  }

  /**
   * Whether a call to the endpoint may go ahead now: always when closed, never when open, and when
   * half-open for exactly one caller (across all workers sharing the state) until that caller
   * reports or its lease ends. Not idempotent: a granted trial permit is taken.
   */
  boolean tryAcquire(String endpoint);

  /** A call succeeded: the breaker closes and forgets past failures. Idempotent. */
  void recordSuccess(String endpoint);

  /**
   * A call failed in a way that counts: counts towards opening when closed; reopens when
   * half-open; no effect when open.
   */
  void recordFailure(String endpoint);

  /** The endpoint's state now, for metrics and tests. */
  State state(String endpoint);
}
