package dev.supportagent.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  @Test
  void should_count_chunks_of_one_document_once_at_its_best_rank() {
    assertEquals(List.of("a", "b", "c"), RankingMetrics.distinct(List.of("a", "a", "b", "a", "c", "b")));
  }

  @Test
  void should_compute_recall_at_k_as_the_share_of_gold_documents_found() {
    List<String> ranked = List.of("x", "a", "y", "b");

    assertEquals(0.0, RankingMetrics.recallAt(ranked, Set.of("a", "b"), 1));
    assertEquals(0.5, RankingMetrics.recallAt(ranked, Set.of("a", "b"), 3));
    assertEquals(1.0, RankingMetrics.recallAt(ranked, Set.of("a", "b"), 4));
  }

  @Test
  void should_compute_the_reciprocal_rank_of_the_first_gold_document_within_ten() {
    assertEquals(0.5, RankingMetrics.reciprocalRank(List.of("x", "a", "b"), Set.of("a", "b")));
    assertEquals(1.0, RankingMetrics.reciprocalRank(List.of("a"), Set.of("a")));
    List<String> deep = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "gold");
    assertEquals(0.0, RankingMetrics.reciprocalRank(deep, Set.of("gold")));
  }

  @Test
  void should_take_nearest_rank_percentiles() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);

    assertEquals(3.0, Stats.percentile(values, 0.5));
    assertEquals(5.0, Stats.percentile(values, 0.95));
    assertEquals(0.0, Stats.percentile(List.of(), 0.5));
  }
}
