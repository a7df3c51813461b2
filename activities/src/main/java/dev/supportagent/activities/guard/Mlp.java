package dev.supportagent.activities.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fits a one-hidden-layer perceptron (ReLU hidden units, a sigmoid output) by Adam on mini-batches:
 * minimises the row-weighted mean log loss plus {@code l2 / 2 * |W|^2} over both weight matrices
 * (the biases are not penalised). A tenth of the rows (stratified by label) is kept aside for early
 * stopping: training stops when their weighted log loss has not improved for {@code patience}
 * epochs, and the weights of the best epoch are kept. The same rows, weights and settings give the
 * same fit (one {@link Random} from {@code seed} draws the initial weights, the validation rows and
 * each epoch's order).
 */
public final class Mlp {

  /** The settings of one fit. */
  public record Settings(int hidden, double l2, double learningRate, int batch, int maxEpochs, int patience,
      long seed) {
    public static final Settings DEFAULT = new Settings(32, 1e-3, 3e-3, 32, 60, 6, 11);

    public Settings {
      if (hidden < 1 || batch < 1 || maxEpochs < 1 || patience < 1 || !(learningRate > 0) || l2 < 0) {
        throw new IllegalArgumentException("invalid MLP settings");
      }
    }
  }

  /**
   * The fitted network.
   *
   * @param hidden the hidden layer's weights, one row of input weights per unit
   * @param hiddenBias one per unit
   * @param weights the output's weight per hidden unit
   * @param bias the output's intercept
   * @param epochs epochs run (the best one's weights are kept)
   */
  public record Fit(float[][] hidden, float[] hiddenBias, float[] weights, double bias, int epochs) {

    public double score(float[] x) {
      return AttackClassifier.mlpScore(hidden, hiddenBias, weights, bias, x);
    }
  }

  private Mlp() {}

  /**
   * @param x rows of equal length
   * @param y 1 for the positive class, 0 otherwise
   * @param rowWeights a weight per row
   */
  public static Fit fit(List<float[]> x, int[] y, double[] rowWeights, Settings s) {
    int n = x.size();
    if (n < 2 || n != y.length || n != rowWeights.length) {
      throw new IllegalArgumentException("need as many labels and weights as rows, and some rows");
    }
    int d = x.get(0).length;
    int h = s.hidden();
    Random random = new Random(s.seed());
    // He initialisation for the ReLU layer, Xavier for the output
    double[][] w1 = new double[h][d];
    double[] b1 = new double[h];
    double[] w2 = new double[h];
    double[] b2 = {0};
    double scale1 = Math.sqrt(2.0 / d);
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < d; i++) {
        w1[j][i] = random.nextGaussian() * scale1;
      }
      w2[j] = random.nextGaussian() * Math.sqrt(1.0 / h);
    }
    // validation rows: a tenth of each label
    List<Integer> pos = new ArrayList<>();
    List<Integer> neg = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      (y[r] == 1 ? pos : neg).add(r);
    }
    Collections.shuffle(pos, random);
    Collections.shuffle(neg, random);
    boolean[] validation = new boolean[n];
    for (List<Integer> g : List.of(pos, neg)) {
      int k = g.size() >= 10 ? g.size() / 10 : 0;
      for (int j = 0; j < k; j++) {
        validation[g.get(j)] = true;
      }
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> valid = new ArrayList<>();
    double trainWeight = 0;
    for (int r = 0; r < n; r++) {
      if (validation[r]) {
        valid.add(r);
      } else {
        train.add(r);
        trainWeight += rowWeights[r];
      }
    }
    double meanWeight = trainWeight / train.size();
    Adam a1 = new Adam(h * d);
    Adam ab1 = new Adam(h);
    Adam a2 = new Adam(h);
    Adam ab2 = new Adam(1);
    double[][] g1 = new double[h][d];
    double[] gb1 = new double[h];
    double[] g2 = new double[h];
    double[] gb2 = new double[1];
    double[] z = new double[h];
    double[] act = new double[h];
    Fit best = snapshot(w1, b1, w2, b2[0], 0);
    double bestLoss = valid.isEmpty() ? Double.NaN : loss(best, x, y, rowWeights, valid);
    int sinceBest = 0;
    int epoch = 0;
    while (epoch < s.maxEpochs()) {
      epoch++;
      Collections.shuffle(train, random);
      for (int start = 0; start < train.size(); start += s.batch()) {
        int end = Math.min(train.size(), start + s.batch());
        for (double[] row : g1) {
          java.util.Arrays.fill(row, 0);
        }
        java.util.Arrays.fill(gb1, 0);
        java.util.Arrays.fill(g2, 0);
        gb2[0] = 0;
        for (int t = start; t < end; t++) {
          int r = train.get(t);
          float[] row = x.get(r);
          double out = b2[0];
          for (int j = 0; j < h; j++) {
            double v = b1[j];
            double[] wj = w1[j];
            for (int i = 0; i < d; i++) {
              v += wj[i] * row[i];
            }
            z[j] = v;
            act[j] = v > 0 ? v : 0;
            out += w2[j] * act[j];
          }
          double p = 1 / (1 + Math.exp(-out));
          double delta = rowWeights[r] / meanWeight * (p - y[r]);
          gb2[0] += delta;
          for (int j = 0; j < h; j++) {
            g2[j] += delta * act[j];
            if (z[j] > 0) {
              double dj = delta * w2[j];
              gb1[j] += dj;
              double[] gj = g1[j];
              for (int i = 0; i < d; i++) {
                gj[i] += dj * row[i];
              }
            }
          }
        }
        double m = end - start;
        for (int j = 0; j < h; j++) {
          for (int i = 0; i < d; i++) {
            g1[j][i] = g1[j][i] / m + s.l2() * w1[j][i];
          }
          gb1[j] /= m;
          g2[j] = g2[j] / m + s.l2() * w2[j];
        }
        gb2[0] /= m;
        a1.step(w1, g1, s.learningRate());
        ab1.step(b1, gb1, s.learningRate());
        a2.step(w2, g2, s.learningRate());
        ab2.step(b2, gb2, s.learningRate());
      }
      if (valid.isEmpty()) {
        best = snapshot(w1, b1, w2, b2[0], epoch);
        continue;
      }
      Fit now = snapshot(w1, b1, w2, b2[0], epoch);
      double l = loss(now, x, y, rowWeights, valid);
      if (l < bestLoss - 1e-6) {
        bestLoss = l;
        best = now;
        sinceBest = 0;
      } else if (++sinceBest >= s.patience()) {
        break;
      }
    }
    return new Fit(best.hidden(), best.hiddenBias(), best.weights(), best.bias(), epoch);
  }

  private static Fit snapshot(double[][] w1, double[] b1, double[] w2, double b2, int epoch) {
    float[][] h = new float[w1.length][];
    float[] hb = new float[b1.length];
    float[] o = new float[w2.length];
    for (int j = 0; j < w1.length; j++) {
      h[j] = new float[w1[j].length];
      for (int i = 0; i < w1[j].length; i++) {
        h[j][i] = (float) w1[j][i];
      }
      hb[j] = (float) b1[j];
      o[j] = (float) w2[j];
    }
    return new Fit(h, hb, o, b2, epoch);
  }

  private static double loss(Fit f, List<float[]> x, int[] y, double[] w, List<Integer> rows) {
    double sum = 0;
    double weight = 0;
    for (int r : rows) {
      double p = f.score(x.get(r));
      sum += w[r] * (y[r] == 1 ? -Math.log(Math.max(p, 1e-12)) : -Math.log(Math.max(1 - p, 1e-12)));
      weight += w[r];
    }
    return sum / weight;
  }

  /** Adam's moment estimates for one block of parameters. */
  private static final class Adam {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
    }

    void step(double[][] p, double[][] g, double lr) {
      t++;
      double c1 = 1 - Math.pow(B1, t);
      double c2 = 1 - Math.pow(B2, t);
      int k = 0;
      for (int j = 0; j < p.length; j++) {
        for (int i = 0; i < p[j].length; i++, k++) {
          p[j][i] -= update(k, g[j][i], lr, c1, c2);
        }
      }
    }

    void step(double[] p, double[] g, double lr) {
      t++;
      double c1 = 1 - Math.pow(B1, t);
      double c2 = 1 - Math.pow(B2, t);
      for (int i = 0; i < p.length; i++) {
        p[i] -= update(i, g[i], lr, c1, c2);
      }
    }

    private double update(int k, double g, double lr, double c1, double c2) {
      m[k] = B1 * m[k] + (1 - B1) * g;
      v[k] = B2 * v[k] + (1 - B2) * g * g;
      return lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + EPS);
    }
  }
}
