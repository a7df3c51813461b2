package dev.supportagent.api;

import java.time.Duration;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;

/**
 * Rate limits in Redis with Redisson's {@link RRateLimiter}: a sliding one-minute window shared by
 * every API instance. Idle limiters expire so that per-end-user keys do not accumulate.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(10);
  /** How often this instance sets a limiter's rate again while it is in use. */
  static final Duration SET_RATE_EVERY = Duration.ofMinutes(2);
  /** Limiters remembered before the stale ones are forgotten. */
  private static final int MAX_REMEMBERED = 10_000;

  private final RedissonClient redis;
  private final String prefix;
  /** When this instance last set each limiter's rate (System.nanoTime). */
  private final java.util.Map<String, Long> rateSetAt = new java.util.concurrent.ConcurrentHashMap<>();

  public RedisRateLimiter(RedissonClient redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  @Override
  public Decision tryAcquire(String bucket, int perMinute) {
    // the rate is part of the name: trySetRate keeps an existing limiter's rate, so a changed
    // limit must name a new limiter to take effect
    String name = prefix + bucket + ":" + perMinute + "pm";
    RRateLimiter limiter = redis.getRateLimiter(name);
    // setting the rate is a round trip of its own: once in a while is enough (well inside the
    // limiter's keep-alive), and again at once when Redis lost it (flushed, restarted)
    Long setAt = rateSetAt.get(name);
    if (setAt == null || System.nanoTime() - setAt > SET_RATE_EVERY.toNanos()) {
      setRate(name, limiter, perMinute);
    }
    boolean allowed;
    try {
      allowed = limiter.tryAcquire();
    } catch (RedisException e) {
      if (e.getMessage() == null || !e.getMessage().contains("not initialized")) {
        throw e;
      }
      setRate(name, limiter, perMinute);
      allowed = limiter.tryAcquire();
    }
    if (allowed) {
      return Decision.ALLOW;
    }
    // one permit comes back every window/perMinute in a steady state
    long retryAfter = Math.max(1, (long) Math.ceil(WINDOW.toSeconds() / (double) perMinute));
    return new Decision(false, retryAfter);
  }

  private void setRate(String name, RRateLimiter limiter, int perMinute) {
    limiter.trySetRate(RateType.OVERALL, perMinute, WINDOW, KEEP_ALIVE);
    long now = System.nanoTime();
    if (rateSetAt.size() >= MAX_REMEMBERED) {
      rateSetAt.values().removeIf(at -> now - at > SET_RATE_EVERY.toNanos());
    }
    rateSetAt.put(name, now);
  }
}
