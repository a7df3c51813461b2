package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogisticRegressionTest {

  @Test
  void should_separate_two_clouds_and_converge_in_few_steps() {
    Random r = new Random(3);
    List<float[]> x = new ArrayList<>();
    int[] y = new int[400];
    double[] w = new double[400];
    for (int i = 0; i < 400; i++) {
      y[i] = i % 2;
      w[i] = 1;
      float shift = y[i] == 1 ? 1f : -1f;
      x.add(new float[] {shift + (float) r.nextGaussian() * 0.5f, (float) r.nextGaussian()});
    }

    LogisticRegression.Fit fit = LogisticRegression.fit(x, y, w, 0.1);

    assertTrue(fit.iterations() < 20, "iterations " + fit.iterations());
    assertTrue(fit.weights()[0] > 2, "weight " + fit.weights()[0]);
    assertTrue(Math.abs(fit.weights()[1]) < 0.5, "noise weight " + fit.weights()[1]);
    assertTrue(fit.score(new float[] {1, 0}) > 0.9);
    assertTrue(fit.score(new float[] {-1, 0}) < 0.1);
  }

  @Test
  void should_match_the_known_solution_of_a_tiny_problem() {
    // one feature, labels 0,0,1,1 at -1,-0.5,0.5,1 with l2=1: symmetric, so the intercept is 0
    List<float[]> x = List.of(new float[] {-1}, new float[] {-0.5f}, new float[] {0.5f}, new float[] {1});
    LogisticRegression.Fit fit = LogisticRegression.fit(x, new int[] {0, 0, 1, 1}, new double[] {1, 1, 1, 1}, 1);

    assertEquals(0, fit.bias(), 1e-6);
    // stationarity: sum (mu - y) x + l2 w = 0
    double g = fit.weights()[0];
    for (int i = 0; i < 4; i++) {
      double mu = fit.score(x.get(i));
      g += (mu - (i >= 2 ? 1 : 0)) * x.get(i)[0];
    }
    assertEquals(0, g, 1e-6);
  }

  @Test
  void should_write_and_read_a_classifier(@TempDir Path dir) throws Exception {
    AttackClassifier c = new AttackClassifier(new float[] {1.5f, -2f, 0.25f}, 0.3, 0.7, null);
    Path file = dir.resolve("c.json");

    c.write(file);
    AttackClassifier back = AttackClassifier.fromFile(file);

    assertEquals(0.7, back.threshold());
    assertEquals(c.score(new float[] {1, 1, 1}), back.score(new float[] {1, 1, 1}), 1e-6);
  }
}
