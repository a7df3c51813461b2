package dev.supportagent.activities.testing;

import dev.supportagent.workflows.testing.IntegrationEnv;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** A Redisson client on the test stack's Redis that fails fast (2 s timeouts, one retry). */
public final class TestRedis {

  private TestRedis() {}

  public static RedissonClient connect() {
    Config c = new Config();
    c.useSingleServer().setAddress(IntegrationEnv.redisUrl()).setConnectTimeout(2000).setTimeout(2000).setRetryAttempts(1);
    return Redisson.create(c);
  }
}
