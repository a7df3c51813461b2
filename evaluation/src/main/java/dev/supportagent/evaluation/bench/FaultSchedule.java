package dev.supportagent.evaluation.bench;

import java.util.SplittableRandom;

/**
 * Which requests a {@link FakeProvider} fails, and how: each request draws once from a seeded
 * generator, so a given seed fails the same requests (by arrival order) on every run. Half the
 * failures are an HTTP 500 before any token, half a stream that breaks after its first token.
 */
public final class FaultSchedule {

  /** What happens to one request. */
  public enum Fault {
    NONE,
    /** A 500 with a JSON error body, before any token. */
    HTTP_500,
    /** The first token, then the connection drops (the body is cut short). */
    BROKEN_STREAM
  }

  public static final FaultSchedule NONE = new FaultSchedule(0, 0);

  private final double failRate;
  private final SplittableRandom random;

  /**
   * @param failRate the share of requests to fail, from 0 to 1
   * @param seed the generator's seed
   */
  public FaultSchedule(double failRate, long seed) {
    if (!(failRate >= 0 && failRate <= 1)) {
      throw new IllegalArgumentException("the fail rate must be between 0 and 1, got " + failRate);
    }
    this.failRate = failRate;
    this.random = new SplittableRandom(seed);
  }

  public double failRate() {
    return failRate;
  }

  /** The fault for the next request; thread-safe, and in arrival order. */
  public synchronized Fault next() {
    double u = random.nextDouble();
    if (u >= failRate) {
      return Fault.NONE;
    }
    return u < failRate / 2 ? Fault.HTTP_500 : Fault.BROKEN_STREAM;
  }
}
