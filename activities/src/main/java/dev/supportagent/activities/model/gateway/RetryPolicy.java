package dev.supportagent.activities.model.gateway;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When the gateway retries a failed request to the same endpoint, and after how long.
 *
 * <p>Retry budget: this is the one retry layer for model calls. The langchain4j streaming clients
 * never retry (they have no retry setting; their synchronous siblings' {@code maxRetries} does not
 * apply to streaming), the JDK HTTP client under them does not retry a POST, and Temporal runs the
 * answer activity once. So a call makes at most {@link #MAX_ATTEMPTS_PER_ENDPOINT} requests to each
 * entry of its chain, then falls back to the next entry, and the offline answerer ends every chain.
 */
public final class RetryPolicy {

  /** Requests per chain entry and call: the first and one retry. */
  public static final int MAX_ATTEMPTS_PER_ENDPOINT = 2;

  public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(4);
  /**
   * The longest Retry-After the gateway waits for. A provider asking for longer is given up on
   * for this call (fallback) rather than retried early, which would only be refused again.
   */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(DEFAULT_BASE_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER);

  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final DoubleSupplier random;

  public RetryPolicy(Duration baseBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    this(baseBackoff, maxBackoff, maxRetryAfter, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform in [0, 1), for the jitter
   */
  public RetryPolicy(Duration baseBackoff, Duration maxBackoff, Duration maxRetryAfter, DoubleSupplier random) {
    if (baseBackoff.isNegative() || maxBackoff.compareTo(baseBackoff) < 0 || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("backoffs must satisfy 0 <= base <= max and retry-after cap >= 0");
    }
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRetryAfter = maxRetryAfter;
    this.random = random;
  }

  /** A decision: retry after {@code delay}, or give the endpoint up with {@code reason}. */
  public record Decision(boolean retry, Duration delay, String reason) {

    static Decision retryAfter(Duration delay) {
      return new Decision(true, delay, null);
    }

    static Decision giveUp(String reason) {
      return new Decision(false, Duration.ZERO, reason);
    }
  }

  /**
   * Whether to retry after {@code failure}, the outcome of request number {@code attempt} (from
   * 1) to one endpoint, with {@code remaining} left before the call's deadline.
   */
  public Decision decide(ProviderFailure failure, int attempt, Duration remaining) {
    if (!failure.retriable()) {
      return Decision.giveUp(failure.describe());
    }
    if (remaining.isNegative() || remaining.isZero()) {
      return Decision.giveUp(failure.describe());
    }
    if (attempt >= MAX_ATTEMPTS_PER_ENDPOINT) {
      return Decision.giveUp(failure.describe() + " after " + attempt + " attempts");
    }
    Duration delay;
    Optional<Duration> retryAfter = failure.retryAfter();
    if (retryAfter.isPresent()) {
      if (retryAfter.get().compareTo(maxRetryAfter) > 0) {
        return Decision.giveUp(
            failure.describe() + ", retry-after " + retryAfter.get().toMillis() + " ms is over the "
                + maxRetryAfter.toMillis() + " ms cap");
      }
      delay = retryAfter.get();
    } else {
      delay = backoff(attempt);
    }
    if (delay.compareTo(remaining) >= 0) {
      return Decision.giveUp(failure.describe() + ", no time left to retry");
    }
    return Decision.retryAfter(delay);
  }

  /**
   * Exponential backoff with equal jitter: half of {@code base * 2^(attempt-1)} (at most {@code
   * max}) plus a random part of the other half, so workers that failed together retry apart.
   */
  Duration backoff(int attempt) {
    long exp = baseBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(maxBackoff.toMillis(), exp);
    long half = capped / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half)));
  }
}
