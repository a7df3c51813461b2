package dev.supportagent.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  private final Bootstrap bootstrap = new Bootstrap(1_000, 7);

  @Test
  void should_give_a_zero_width_interval_for_constant_data() {
    assertArrayEquals(new double[] {0.5, 0.5}, bootstrap.mean(Collections.nCopies(20, 0.5)), 1e-12);
    assertArrayEquals(new double[] {120, 120}, bootstrap.interval(Collections.nCopies(20, 120.0), Bootstrap.P95), 1e-12);
  }

  @Test
  void should_give_an_interval_around_the_mean_that_the_seed_fixes() {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      values.add(i % 4 == 0 ? 1.0 : 0.0);
    }
    double[] ci = bootstrap.mean(values);

    assertTrue(ci[0] < 0.25 && 0.25 < ci[1], ci[0] + " " + ci[1]);
    // the standard error of a share of 0.25 over 40 is about 0.068: a 95 % interval about ±0.13
    assertTrue(ci[1] - ci[0] > 0.15 && ci[1] - ci[0] < 0.40, ci[0] + " " + ci[1]);
    assertTrue(ci[0] >= 0 && ci[1] <= 1);
    assertArrayEquals(ci, new Bootstrap(1_000, 7).mean(values), "same seed, same interval");
  }

  @Test
  void should_cancel_what_paired_runs_share() {
    double[] base = {0.1, 0.9, 0.4, 0.7, 0.2};
    double[] shifted = {0.2, 1.0, 0.5, 0.8, 0.3};

    assertArrayEquals(new double[] {0, 0}, bootstrap.paired(base, base, Bootstrap.MEAN), 1e-12);
    assertArrayEquals(new double[] {0.1, 0.1}, bootstrap.paired(base, shifted, Bootstrap.MEAN), 1e-9);
  }

  @Test
  void should_give_no_interval_without_data() {
    assertNull(bootstrap.mean(List.of()));
    assertNull(bootstrap.paired(new double[0], new double[0], Bootstrap.MEAN));
  }
}
