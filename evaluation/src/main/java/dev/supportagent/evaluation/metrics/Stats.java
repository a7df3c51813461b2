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

  public static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
