package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * Latencies counted in 10 ms buckets up to 200 ms and one bucket above: an ordered list of {@code
 * {from_ms, to_ms, count}} (from included, to excluded; {@code to_ms} null for the last), empty
 * buckets left out.
 */
public final class LatencyHistogram {

  static final int BUCKET_MS = 10;
  static final int OVERFLOW_FROM_MS = 200;

  private LatencyHistogram() {}

  public static ArrayNode of(List<Double> latenciesMs) {
    int buckets = OVERFLOW_FROM_MS / BUCKET_MS;
    int[] counts = new int[buckets + 1];
    for (double ms : latenciesMs) {
      counts[ms >= OVERFLOW_FROM_MS ? buckets : Math.max(0, (int) Math.floor(ms / BUCKET_MS))]++;
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i <= buckets; i++) {
      if (counts[i] == 0) {
        continue;
      }
      var row = out.addObject().put("from_ms", i * BUCKET_MS);
      if (i < buckets) {
        row.put("to_ms", (i + 1) * BUCKET_MS);
      } else {
        row.putNull("to_ms");
      }
      row.put("count", counts[i]);
    }
    return out;
  }
}
