package dev.supportagent.activities.model.gateway;

import java.util.Arrays;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CircuitBreaker} whose state lives in Redis, so every worker sees an endpoint open as
 * soon as one has opened it. Per endpoint, three keys (sharing a hash tag, so they live on one
 * slot of a cluster) hold the state, and Redis's key expiry does the timing, so the workers'
 * clocks never need to agree:
 *
 * <ul>
 *   <li>{@code failures}: consecutive failures, expiring {@code failureWindow} after the last one;
 *   <li>{@code open}: present while open, expiring after the cool-down;
 *   <li>{@code tripped}: present from opening until a success closes the breaker; {@code tripped}
 *       without {@code open} is half-open;
 *   <li>{@code trial}: the half-open trial permit, taken with {@code SET NX} and a lease.
 * </ul>
 *
 * Each operation is one Lua script, atomic in Redis. If Redis cannot be reached the breaker fails
 * open (calls go ahead) and logs: an unavailable Redis must not take the models down with it. The
 * client's own timeouts and retries bound how long that takes.
 */
public final class RedisCircuitBreaker implements CircuitBreaker {

  private static final Logger log = LoggerFactory.getLogger(RedisCircuitBreaker.class);

  /** The workers' key prefix: their breakers share state under it. */
  public static final String KEY_PREFIX = "support:breaker:";

  /** A tripped breaker that no call ever tries again closes on its own after this long. */
  static final long TRIPPED_TTL_MS = 3_600_000;

  // KEYS: open, tripped, trial. ARGV: trial lease ms. Returns 1 when the call may go ahead.
  private static final String TRY_ACQUIRE =
      """
      if redis.call('exists', KEYS[1]) == 1 then return 0 end
      if redis.call('exists', KEYS[2]) == 0 then return 1 end
      if redis.call('set', KEYS[3], '1', 'PX', ARGV[1], 'NX') then return 1 end
      return 0
      """;

  // KEYS: open, tripped, trial, failures. ARGV: failure window ms, cool-down ms, threshold,
  // tripped ttl ms. Returns 1 when the breaker is open afterwards.
  private static final String RECORD_FAILURE =
      """
      if redis.call('exists', KEYS[2]) == 1 then
        if redis.call('exists', KEYS[1]) == 0 then
          redis.call('set', KEYS[1], '1', 'PX', ARGV[2])
          redis.call('pexpire', KEYS[2], ARGV[4])
          redis.call('del', KEYS[3])
        end
        return 1
      end
      local n = redis.call('incr', KEYS[4])
      redis.call('pexpire', KEYS[4], ARGV[1])
      if n >= tonumber(ARGV[3]) then
        redis.call('set', KEYS[1], '1', 'PX', ARGV[2])
        redis.call('set', KEYS[2], '1', 'PX', ARGV[4])
        redis.call('del', KEYS[3], KEYS[4])
        return 1
      end
      return 0
      """;

  // KEYS: open, tripped. Returns 0 closed, 1 open, 2 half-open.
  private static final String STATE =
      """
      if redis.call('exists', KEYS[1]) == 1 then return 1 end
      if redis.call('exists', KEYS[2]) == 1 then return 2 end
      return 0
      """;

  private final RedissonClient redis;
  private final String prefix;
  private final Settings settings;

  /**
   * @param prefix prepended to every key, for example {@code support:breaker:}
   */
  public RedisCircuitBreaker(RedissonClient redis, String prefix, Settings settings) {
    this.redis = redis;
    this.prefix = prefix;
    this.settings = settings;
  }

  @Override
  public boolean tryAcquire(String endpoint) {
    try {
      Long r =
          eval(
              RScript.Mode.READ_WRITE,
              TRY_ACQUIRE,
              keys(endpoint, "open", "tripped", "trial"),
              settings.trialLease().toMillis());
      return r != null && r == 1L;
    } catch (RuntimeException e) {
      log.warn("circuit breaker state unavailable for {}; letting the call through: {}", endpoint, e.toString());
      return true;
    }
  }

  @Override
  public void recordSuccess(String endpoint) {
    try {
      redis.getKeys().delete(keys(endpoint, "open", "tripped", "trial", "failures").toArray(String[]::new));
    } catch (RuntimeException e) {
      log.warn("cannot record a success for {} in the circuit breaker: {}", endpoint, e.toString());
    }
  }

  @Override
  public void recordFailure(String endpoint) {
    try {
      eval(
          RScript.Mode.READ_WRITE,
          RECORD_FAILURE,
          keys(endpoint, "open", "tripped", "trial", "failures"),
          settings.failureWindow().toMillis(),
          settings.coolDown().toMillis(),
          settings.failureThreshold(),
          Math.max(TRIPPED_TTL_MS, 2 * settings.coolDown().toMillis()));
    } catch (RuntimeException e) {
      log.warn("cannot record a failure for {} in the circuit breaker: {}", endpoint, e.toString());
    }
  }

  @Override
  public State state(String endpoint) {
    Long r = eval(RScript.Mode.READ_ONLY, STATE, keys(endpoint, "open", "tripped"));
    return r == null || r == 0 ? State.CLOSED : r == 1 ? State.OPEN : State.HALF_OPEN;
  }

  private Long eval(RScript.Mode mode, String script, List<Object> keys, Object... args) {
    Object[] values = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      values[i] = String.valueOf(args[i]);
    }
    return redis.getScript(StringCodec.INSTANCE).eval(mode, script, RScript.ReturnType.INTEGER, keys, values);
  }

  /** The endpoint's keys; the hash tag keeps them on one cluster slot, as a script requires. */
  List<Object> keys(String endpoint, String... names) {
    String tag = "{" + endpoint.replace('{', '(').replace('}', ')') + "}";
    return Arrays.stream(names).map(n -> (Object) (prefix + tag + ":" + n)).toList();
  }
}
