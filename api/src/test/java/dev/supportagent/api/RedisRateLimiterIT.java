package dev.supportagent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.testing.IntegrationEnv;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The rate limiter on the real Redis. */
class RedisRateLimiterIT {

  static RedissonClient redis;

  @BeforeAll
  static void connect() {
    redis = ApiMain.redis(IntegrationEnv.redisUrl());
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.shutdown();
    }
  }

  @Test
  void should_refuse_past_the_limit_with_a_retry_delay_and_keep_buckets_apart() {
    String prefix = "it:" + UUID.randomUUID() + ":";
    RedisRateLimiter limiter = new RedisRateLimiter(redis, prefix);

    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("key:a", 3).allowed(), "request " + i);
    }
    RateLimiter.Decision refused = limiter.tryAcquire("key:a", 3);

    assertFalse(refused.allowed());
    assertEquals(20, refused.retryAfterSeconds());
    assertTrue(limiter.tryAcquire("key:b", 3).allowed(), "another bucket has its own permits");
    assertFalse(new RedisRateLimiter(redis, prefix).tryAcquire("key:a", 3).allowed(), "shared through Redis");
    assertTrue(limiter.tryAcquire("key:a", 10).allowed(), "a raised limit takes effect at once");
  }

  @Test
  void should_set_the_rate_again_when_redis_lost_the_limiter() {
    String prefix = "it:" + UUID.randomUUID() + ":";
    RedisRateLimiter limiter = new RedisRateLimiter(redis, prefix);
    assertTrue(limiter.tryAcquire("key:a", 2).allowed());

    // as after a flush or a restart of Redis: the limiter's keys are gone
    assertTrue(redis.getKeys().deleteByPattern("*" + prefix + "*") > 0);

    assertTrue(limiter.tryAcquire("key:a", 2).allowed(), "a fresh limiter, its rate set again");
    assertTrue(limiter.tryAcquire("key:a", 2).allowed());
    assertFalse(limiter.tryAcquire("key:a", 2).allowed(), "and its limit holds");
  }
}
