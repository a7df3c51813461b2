package dev.supportagent.evaluation.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals at 95 %: the statistic over {@code resamples} samples drawn with
 * replacement, cut at the 2.5th and 97.5th percentiles. Every interval starts from the same
 * {@code seed}, so a figure's interval does not depend on which others were computed before it.
 */
public final class Bootstrap {

  public static final int DEFAULT_RESAMPLES = 2_000;
  public static final long DEFAULT_SEED = 42;
  public static final double LEVEL = 0.95;

  /** A statistic of a sample. */
  public interface Statistic extends ToDoubleFunction<double[]> {}

  public static final Statistic MEAN = v -> Arrays.stream(v).average().orElse(0);
  public static final Statistic P95 = v -> Stats.percentile(Arrays.stream(v).boxed().toList(), 0.95);

  private final int resamples;
  private final long seed;

  public Bootstrap(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1");
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  public int resamples() {
    return resamples;
  }

  public long seed() {
    return seed;
  }

  /** The interval of the mean of {@code values}; null when there are none. */
  public double[] mean(List<Double> values) {
    return interval(values, MEAN);
  }

  /** The interval of {@code statistic} over {@code values}; null when there are none. */
  public double[] interval(List<Double> values, Statistic statistic) {
    if (values.isEmpty()) {
      return null;
    }
    double[] data = values.stream().mapToDouble(Double::doubleValue).toArray();
    SplittableRandom random = new SplittableRandom(seed);
    double[] stats = new double[resamples];
    double[] sample = new double[data.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < data.length; i++) {
        sample[i] = data[random.nextInt(data.length)];
      }
      stats[r] = statistic.applyAsDouble(sample);
    }
    return cut(stats);
  }

  /**
   * The interval of {@code statistic(candidate) - statistic(baseline)} over paired observations:
   * each resample draws pairs, so what the two runs share (the question's difficulty) cancels.
   */
  public double[] paired(double[] baseline, double[] candidate, Statistic statistic) {
    if (baseline.length != candidate.length) {
      throw new IllegalArgumentException("unpaired: " + baseline.length + " and " + candidate.length + " values");
    }
    if (baseline.length == 0) {
      return null;
    }
    int n = baseline.length;
    SplittableRandom random = new SplittableRandom(seed);
    double[] stats = new double[resamples];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        b[i] = baseline[k];
        c[i] = candidate[k];
      }
      stats[r] = statistic.applyAsDouble(c) - statistic.applyAsDouble(b);
    }
    return cut(stats);
  }

  private static double[] cut(double[] stats) {
    Arrays.sort(stats);
    double tail = (1 - LEVEL) / 2;
    int lo = (int) Math.floor(tail * stats.length);
    int hi = (int) Math.ceil((1 - tail) * stats.length) - 1;
    return new double[] {stats[Math.min(lo, stats.length - 1)], stats[Math.max(0, Math.min(hi, stats.length - 1))]};
  }
}
