package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTest {

  /** XOR of the signs of two coordinates: no line separates it, a hidden layer does. */
  private static List<float[]> xor(int n, int[] y, long seed) {
    Random r = new Random(seed);
    List<float[]> x = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float a = (float) (r.nextDouble() * 2 - 1);
      float b = (float) (r.nextDouble() * 2 - 1);
      x.add(new float[] {a, b, (float) r.nextGaussian() * 0.1f});
      y[i] = (a > 0) != (b > 0) ? 1 : 0;
    }
    return x;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1);
    return w;
  }

  private static double accuracy(java.util.function.ToDoubleFunction<float[]> f, List<float[]> x, int[] y) {
    int right = 0;
    for (int i = 0; i < y.length; i++) {
      right += (f.applyAsDouble(x.get(i)) >= 0.5) == (y[i] == 1) ? 1 : 0;
    }
    return right / (double) y.length;
  }

  @Test
  void should_learn_xor_when_a_logistic_regression_cannot() {
    int[] y = new int[800];
    List<float[]> x = xor(800, y, 1);
    int[] yTest = new int[400];
    List<float[]> test = xor(400, yTest, 2);

    Mlp.Fit mlp = Mlp.fit(x, y, ones(800), new Mlp.Settings(16, 1e-4, 1e-2, 32, 200, 20, 5));
    LogisticRegression.Fit lr = LogisticRegression.fit(x, y, ones(800), 0.1);

    assertTrue(accuracy(mlp::score, test, yTest) > 0.9, "mlp accuracy " + accuracy(mlp::score, test, yTest));
    assertTrue(accuracy(lr::score, test, yTest) < 0.7, "lr accuracy " + accuracy(lr::score, test, yTest));
  }

  @Test
  void should_give_the_same_fit_when_given_the_same_seed() {
    int[] y = new int[300];
    List<float[]> x = xor(300, y, 3);
    Mlp.Settings s = new Mlp.Settings(8, 1e-3, 1e-2, 16, 30, 5, 9);

    Mlp.Fit a = Mlp.fit(x, y, ones(300), s);
    Mlp.Fit b = Mlp.fit(x, y, ones(300), s);

    assertArrayEquals(a.weights(), b.weights());
    assertArrayEquals(a.hidden()[3], b.hidden()[3]);
    assertEquals(a.bias(), b.bias());
  }

  @Test
  void should_stop_early_when_the_validation_loss_stops_improving() {
    // labels that are noise: the validation loss cannot improve for long
    Random r = new Random(4);
    List<float[]> x = new ArrayList<>();
    int[] y = new int[400];
    for (int i = 0; i < 400; i++) {
      x.add(new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()});
      y[i] = r.nextBoolean() ? 1 : 0;
    }

    Mlp.Fit fit = Mlp.fit(x, y, ones(400), new Mlp.Settings(16, 0, 1e-2, 16, 500, 5, 1));

    assertTrue(fit.epochs() < 100, "epochs " + fit.epochs());
  }

  @Test
  void should_score_the_same_when_written_and_read_back(@TempDir Path dir) throws Exception {
    int[] y = new int[200];
    List<float[]> x = xor(200, y, 6);
    Mlp.Fit f = Mlp.fit(x, y, ones(200), new Mlp.Settings(4, 1e-3, 1e-2, 16, 20, 5, 2));
    AttackClassifier c = new AttackClassifier(f.weights(), f.bias(), 0.6, null, f.hidden(), f.hiddenBias(), null);
    Path file = dir.resolve("mlp.json");

    c.write(file);
    AttackClassifier back = AttackClassifier.fromFile(file);

    assertEquals(3, back.dimensions());
    assertEquals(f.score(x.get(7)), back.score(x.get(7)), 1e-9);
    assertEquals(c.score(x.get(11)), back.score(x.get(11)), 1e-9);
  }

  @Test
  void should_refuse_a_hidden_layer_that_does_not_match_the_output() {
    assertThrows(IllegalArgumentException.class, () -> new AttackClassifier(new float[] {1, 2}, 0, 0.5, null,
        new float[][] {{1, 2, 3}}, new float[] {0}, null));
  }
}
