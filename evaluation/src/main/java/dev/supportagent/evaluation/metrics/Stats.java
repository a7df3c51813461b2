package dev.supportagent.evaluation.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Percentiles and rounding shared by the suites. */
public final class Stats {

  private Stats() {}

  /** Nearest-rank percentile of {@code values}; 0 for none. */
  public static double percentile(List<Double> values, double q) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /** {@code {p50, p95, max}} in the values' unit, one decimal. */
  public static ObjectNode latency(List<Double> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("p50", round(percentile(values, 0.50), 1));
    node.put("p95", round(percentile(values, 0.95), 1));
    node.put("max", round(percentile(values, 1.0), 1));
    return node;
  }

  /**
   * The Wilson score interval of a proportion of {@code successes} in {@code n} trials, at the
   * normal quantile {@code z} (1.96 for 95 %): {@code [low, high]}, {@code [0, 1]} when {@code n}
   * is 0. Unlike the normal approximation it stays within [0, 1] and is not empty at 0 successes,
   * which is what small counts of wrong hits need.
   */
  public static double[] wilson(int successes, int n, double z) {
    if (successes < 0 || successes > n) {
      throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + " of " + n);
    }
    if (n == 0) {
      return new double[] {0, 1};
    }
    double p = successes / (double) n;
    double z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  public static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
