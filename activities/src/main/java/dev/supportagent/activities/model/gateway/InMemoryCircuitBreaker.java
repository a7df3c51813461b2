package dev.supportagent.activities.model.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A {@link CircuitBreaker} whose state lives in this process: for tests, and for a single worker
 * without Redis. {@link RedisCircuitBreaker} shares the state between workers.
 */
public final class InMemoryCircuitBreaker implements CircuitBreaker {

  private final Settings settings;
  private final LongSupplier clockMillis;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    int failures;
    long lastFailureAt;
    /** When open: the end of the cool-down; 0 when never opened since the last success. */
    long openUntil;
    long trialLeaseUntil;
  }

  public InMemoryCircuitBreaker(Settings settings) {
    this(settings, System::currentTimeMillis);
  }

  public InMemoryCircuitBreaker(Settings settings, LongSupplier clockMillis) {
    this.settings = settings;
    this.clockMillis = clockMillis;
  }

  @Override
  public synchronized boolean tryAcquire(String endpoint) {
    Entry e = entries.get(endpoint);
    long now = clockMillis.getAsLong();
    if (e == null || e.openUntil == 0) {
      return true;
    }
    if (now < e.openUntil || now < e.trialLeaseUntil) {
      return false;
    }
    e.trialLeaseUntil = now + settings.trialLease().toMillis();
    return true;
  }

  @Override
  public synchronized void recordSuccess(String endpoint) {
    entries.remove(endpoint);
  }

  @Override
  public synchronized void recordFailure(String endpoint) {
    long now = clockMillis.getAsLong();
    Entry e = entries.computeIfAbsent(endpoint, k -> new Entry());
    if (e.openUntil != 0) {
      if (now >= e.openUntil) {
        open(e, now);
      }
      return;
    }
    if (e.failures > 0 && now - e.lastFailureAt > settings.failureWindow().toMillis()) {
      e.failures = 0;
    }
    e.failures++;
    e.lastFailureAt = now;
    if (e.failures >= settings.failureThreshold()) {
      open(e, now);
    }
  }

  private void open(Entry e, long now) {
    e.openUntil = now + settings.coolDown().toMillis();
    e.trialLeaseUntil = 0;
    e.failures = 0;
  }

  @Override
  public synchronized State state(String endpoint) {
    Entry e = entries.get(endpoint);
    if (e == null || e.openUntil == 0) {
      return State.CLOSED;
    }
    return clockMillis.getAsLong() < e.openUntil ? State.OPEN : State.HALF_OPEN;
  }
}
