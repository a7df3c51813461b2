package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

  private final ReciprocalRankFusion rrf = new ReciprocalRankFusion(60);

  private List<String> fuse(List<ReciprocalRankFusion.Ranking<String>> rankings) {
    return rrf.fuse(rankings, Function.identity()).stream().map(ReciprocalRankFusion.Fused::item).toList();
  }

  @Test
  void should_score_an_item_by_the_sum_of_its_reciprocal_ranks() {
    var fused =
        rrf.fuse(
            List.of(
                new ReciprocalRankFusion.Ranking<>(List.of("a", "b"), 1.0),
                new ReciprocalRankFusion.Ranking<>(List.of("b", "c"), 1.0)),
            Function.identity());

    assertEquals("b", fused.get(0).item());
    assertEquals(1.0 / 62 + 1.0 / 61, fused.get(0).score(), 1e-12);
    assertEquals(1.0 / 61, fused.get(1).score(), 1e-12);
  }

  @Test
  void should_let_an_item_found_by_both_lists_beat_one_found_first_by_one() {
    List<String> fused =
        fuse(
            List.of(
                new ReciprocalRankFusion.Ranking<>(List.of("knn-only", "both"), 1.0),
                new ReciprocalRankFusion.Ranking<>(List.of("bm25-only", "both"), 1.0)));

    assertEquals("both", fused.get(0));
  }

  @Test
  void should_let_a_heavier_ranking_lead() {
    List<String> fused =
        fuse(
            List.of(
                new ReciprocalRankFusion.Ranking<>(List.of("x", "y"), 1.0),
                new ReciprocalRankFusion.Ranking<>(List.of("x", "y"), 1.0),
                new ReciprocalRankFusion.Ranking<>(List.of("y"), 3.0)));

    assertEquals(List.of("y", "x"), fused);
  }

  @Test
  void should_keep_first_appearance_order_on_ties_and_reject_a_bad_constant() {
    assertEquals(List.of("a", "b"), fuse(List.of(new ReciprocalRankFusion.Ranking<>(List.of("a"), 1.0),
        new ReciprocalRankFusion.Ranking<>(List.of("b"), 1.0))));
    assertThrows(IllegalArgumentException.class, () -> new ReciprocalRankFusion(0));
  }
}
