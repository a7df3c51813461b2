package dev.supportagent.api;

import java.time.Duration;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;

/**
 * Rate limits in Redis with Redisson's {@link RRateLimiter}: a sliding one-minute window shared by
 * every API instance. Idle limiters expire so that per-end-user keys do not accumulate.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(10);

  private final RedissonClient redis;
  private final String prefix;

  public RedisRateLimiter(RedissonClient redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  @Override
  public Decision tryAcquire(String bucket, int perMinute) {
    // the rate is part of the name: trySetRate keeps an existing limiter's rate, so a changed
    // limit must name a new limiter to take effect
    RRateLimiter limiter = redis.getRateLimiter(prefix + bucket + ":" + perMinute + "pm");
    limiter.trySetRate(RateType.OVERALL, perMinute, WINDOW, KEEP_ALIVE);
    if (limiter.tryAcquire()) {
      return Decision.ALLOW;
    }
    // one permit comes back every window/perMinute in a steady state
    long retryAfter = Math.max(1, (long) Math.ceil(WINDOW.toSeconds() / (double) perMinute));
    return new Decision(false, retryAfter);
  }
}
