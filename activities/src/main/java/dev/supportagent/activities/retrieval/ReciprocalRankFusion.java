package dev.supportagent.activities.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): an item's fused score is the sum over the
 * ranked lists of {@code weight / (k + rank)}, rank counted from 1. Elasticsearch's own RRF
 * retriever is not in every distribution, so results are fused here.
 */
public final class ReciprocalRankFusion {

  /** The usual constant: damps the weight of the very first ranks. */
  public static final int DEFAULT_K = 60;

  private final int k;

  public ReciprocalRankFusion(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1");
    }
    this.k = k;
  }

  /** A ranked list and its weight. */
  public record Ranking<T>(List<T> items, double weight) {}

  /** An item and its fused score. */
  public record Fused<T>(T item, double score) {}

  /**
   * Fuses the rankings; items are identified by {@code id}, the first occurrence is kept. Ties
   * keep the order of first appearance, so the result is deterministic.
   */
  public <T> List<Fused<T>> fuse(List<Ranking<T>> rankings, Function<T, String> id) {
    Map<String, T> items = new LinkedHashMap<>();
    Map<String, Double> scores = new HashMap<>();
    for (Ranking<T> ranking : rankings) {
      for (int r = 0; r < ranking.items().size(); r++) {
        T item = ranking.items().get(r);
        String key = id.apply(item);
        items.putIfAbsent(key, item);
        scores.merge(key, ranking.weight() / (k + r + 1), Double::sum);
      }
    }
    List<Fused<T>> fused = new ArrayList<>();
    items.forEach((key, item) -> fused.add(new Fused<>(item, scores.get(key))));
    fused.sort(Comparator.comparingDouble((Fused<T> f) -> f.score()).reversed());
    return fused;
  }
}
