package dev.supportagent.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void should_give_the_wilson_interval_of_a_proportion() {
    // textbook values: 1 of 100 is [0.0018, 0.0545] at 95 %
    assertArrayEquals(new double[] {0.00177, 0.05449}, Stats.wilson(1, 100, 1.959964), 1e-5);
    double[] half = Stats.wilson(5, 10, 1.96);
    assertEquals(0.5, (half[0] + half[1]) / 2, 1e-9, "symmetric around one half");
  }

  @Test
  void should_give_a_non_empty_interval_when_nothing_failed() {
    // 0 of 10: the upper end is z^2 / (n + z^2)
    double z = 1.959964;
    assertArrayEquals(new double[] {0, z * z / (10 + z * z)}, Stats.wilson(0, 10, z), 1e-9);
    assertArrayEquals(new double[] {0, 1}, Stats.wilson(0, 0, z), 0, "no trials, no information");
  }

  @Test
  void should_reject_more_successes_than_trials() {
    assertThrows(IllegalArgumentException.class, () -> Stats.wilson(3, 2, 1.96));
  }
}
