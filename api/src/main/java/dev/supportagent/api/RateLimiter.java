package dev.supportagent.api;

/** Per-key and per-end-user request limits. */
public interface RateLimiter {

  /** A decision: allowed, or refused with the seconds after which to try again. */
  record Decision(boolean allowed, long retryAfterSeconds) {
    public static final Decision ALLOW = new Decision(true, 0);
  }

  /**
   * Takes one permit from {@code bucket}, which allows {@code perMinute} requests a minute.
   * Thread-safe; shared across API instances where the implementation is backed by Redis.
   */
  Decision tryAcquire(String bucket, int perMinute);
}
