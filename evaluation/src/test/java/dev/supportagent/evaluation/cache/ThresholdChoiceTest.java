package dev.supportagent.evaluation.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {

  static int n;

  static ThresholdChoice.Outcome same(double similarity) {
    return outcome(true, "paraphrase", "g" + n, similarity, false);
  }

  static ThresholdChoice.Outcome different(double similarity) {
    return outcome(false, "hard_negative", "g" + n, similarity, false);
  }

  static ThresholdChoice.Outcome outcome(boolean same, String kind, String group, double similarity, boolean exact) {
    n++;
    return new ThresholdChoice.Outcome(
        new ParaphrasePair(n, "p" + n, "q", "q2", same, kind, group), exact, similarity);
  }

  @Test
  void should_count_hits_right_and_wrong_at_a_threshold() {
    List<ThresholdChoice.Outcome> outcomes =
        List.of(same(0.95), same(0.85), different(0.91), different(0.5), outcome(true, "surface", "g", -1, true));

    ThresholdChoice.Counts c = ThresholdChoice.count(outcomes, 0.9);

    assertEquals(3, c.positives());
    assertEquals(2, c.rightHits(), "the exact hit counts whatever the threshold");
    assertEquals(1, c.wrongHits());
    assertEquals(1, c.hardNegativeHits());
    assertEquals(3, c.hits());
    assertEquals(2 / 3.0, c.hitRate(), 1e-9);
    assertEquals(1 / 3.0, c.wrongShareOfHits(), 1e-9);
    assertEquals(0.5, c.negativesHitShare(), 1e-9);
    assertEquals(0, ThresholdChoice.count(List.of(different(0.2)), 0.9).wrongShareOfHits(), "no hits, nothing wrong");
  }

  @Test
  void should_choose_the_lowest_threshold_from_which_every_higher_one_meets_the_goal() {
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 99; i++) {
      outcomes.add(same(0.95));
    }
    outcomes.add(different(0.90));
    for (int i = 0; i < 10; i++) {
      outcomes.add(same(0.85));
    }
    outcomes.add(different(0.82));
    List<Double> grid = List.of(0.80, 0.85, 0.90, 0.95);

    // 0.95: 0 wrong of 99; 0.90: 1 of 100 (1 %); 0.85: 1 of 110; 0.80: 2 of 111 (1.8 %)
    assertEquals(Optional.of(0.85), ThresholdChoice.choose(outcomes, grid, 0.01));
    assertEquals(Optional.of(0.95), ThresholdChoice.choose(outcomes, grid, 0.005));
    assertEquals(Optional.of(0.80), ThresholdChoice.choose(outcomes, grid, 0.02));
  }

  @Test
  void should_not_choose_a_lucky_dip_below_a_threshold_that_fails() {
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      outcomes.add(same(0.80));
    }
    outcomes.add(different(0.95));
    outcomes.add(same(0.97));
    List<Double> grid = List.of(0.8, 0.9, 0.95, 0.99);

    // 0.80 has 1 wrong in 202 hits (0.5 %) but 0.95 has 1 in 2: only 0.99 and above qualify
    assertEquals(Optional.of(0.99), ThresholdChoice.choose(outcomes, grid, 0.01));
  }

  @Test
  void should_choose_nothing_when_exact_hits_alone_are_wrong() {
    List<ThresholdChoice.Outcome> outcomes =
        List.of(outcome(false, "hard_negative", "g", 1, true), same(0.99));
    assertEquals(Optional.empty(), ThresholdChoice.choose(outcomes, List.of(0.9, 0.99), 0.01));
  }

  @Test
  void should_cross_validate_with_whole_groups_held_out() {
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    for (int g = 0; g < 10; g++) {
      for (int i = 0; i < 10; i++) {
        outcomes.add(outcome(true, "paraphrase", "group" + g, 0.85 + i * 0.01, false));
      }
      // one group holds the only negative that scores high
      outcomes.add(outcome(false, "hard_negative", "group" + g, g == 3 ? 0.92 : 0.5, false));
    }
    List<Double> grid = ThresholdChoice.grid(0.80, 0.99, 0.01);

    List<ThresholdChoice.Fold> folds = ThresholdChoice.crossValidate(outcomes, grid, 0.01, 5, 1);

    assertEquals(5, folds.size());
    assertEquals(110, folds.stream().mapToInt(f -> f.heldOut().positives() + f.heldOut().negatives()).sum());
    ThresholdChoice.Fold withNegative =
        folds.stream().filter(f -> f.heldOut().hardNegatives() > 0 && f.threshold().orElse(1.0) <= 0.92).findFirst()
            .orElseThrow();
    // trained without group 3, the fold picks a threshold the negative passes: a held-out wrong hit
    assertEquals(1, withNegative.heldOut().wrongHits());
    assertEquals(1, ThresholdChoice.pooled(folds).wrongHits());
    for (ThresholdChoice.Fold f : folds) {
      if (f != withNegative) {
        assertEquals(0, f.heldOut().wrongHits());
      }
    }
  }

  @Test
  void should_cross_validate_the_choice_plus_a_margin() {
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    for (int g = 0; g < 10; g++) {
      for (int i = 0; i < 10; i++) {
        outcomes.add(outcome(true, "paraphrase", "group" + g, 0.85 + i * 0.01, false));
      }
      outcomes.add(outcome(false, "hard_negative", "group" + g, g == 3 ? 0.92 : 0.5, false));
    }
    List<Double> grid = ThresholdChoice.grid(0.80, 0.99, 0.01);

    List<ThresholdChoice.Fold> plain = ThresholdChoice.crossValidate(outcomes, grid, 0.01, 5, 1);
    List<ThresholdChoice.Fold> margin = ThresholdChoice.crossValidate(outcomes, grid, 0.01, 5, 1, 0.02);

    for (int f = 0; f < 5; f++) {
      assertEquals(plain.get(f).threshold().orElseThrow() + 0.02, margin.get(f).threshold().orElseThrow(), 1e-9);
    }
    // the fold that chose 0.80 without group 3 now measures at 0.82: the negative at 0.92 still passes
    assertEquals(1, ThresholdChoice.pooled(margin).wrongHits());
    assertEquals(0, ThresholdChoice.pooled(ThresholdChoice.crossValidate(outcomes, grid, 0.01, 5, 1, 0.13)).wrongHits());
  }

  @Test
  void should_build_a_grid_with_both_ends() {
    assertEquals(List.of(0.9, 0.925, 0.95, 0.975, 1.0), ThresholdChoice.grid(0.9, 1.0, 0.025));
    assertThrows(IllegalArgumentException.class, () -> ThresholdChoice.grid(0.9, 0.8, 0.01));
  }
}
