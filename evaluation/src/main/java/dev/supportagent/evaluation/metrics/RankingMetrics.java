package dev.supportagent.evaluation.metrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ranking metrics over distinct documents (DESIGN.md): a ranked list of passages' document ids is
 * first reduced to distinct documents, each at its best rank.
 */
public final class RankingMetrics {

  /** How deep MRR looks: a first gold document below this rank counts 0. */
  public static final int MRR_DEPTH = 10;

  private RankingMetrics() {}

  /** Distinct documents in order of their first appearance. */
  public static List<String> distinct(List<String> rankedDocIds) {
    return List.copyOf(new LinkedHashSet<>(rankedDocIds));
  }

  /** The share of gold documents among the first {@code k} distinct documents. */
  public static double recallAt(List<String> distinctDocs, Set<String> gold, int k) {
    if (gold.isEmpty()) {
      throw new IllegalArgumentException("no gold documents");
    }
    long found = distinctDocs.stream().limit(k).filter(gold::contains).count();
    return (double) found / gold.size();
  }

  /** 1 / rank of the first gold document within {@link #MRR_DEPTH}, else 0. */
  public static double reciprocalRank(List<String> distinctDocs, Set<String> gold) {
    for (int i = 0; i < Math.min(MRR_DEPTH, distinctDocs.size()); i++) {
      if (gold.contains(distinctDocs.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }
}
