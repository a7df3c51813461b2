package dev.supportagent.activities.guard;

import java.util.List;

/**
 * Fits an L2-regularised logistic regression by Newton's method: minimises the summed log loss
 * plus {@code l2 / 2 * |w|^2} (the intercept is not penalised), the objective of scikit-learn's
 * {@code LogisticRegression(C = 1 / l2)}. With a few hundred dimensions and a few thousand rows
 * each step is one dense solve; it converges in about ten.
 */
public final class LogisticRegression {

  /** Weights and intercept. */
  public record Fit(float[] weights, double bias, int iterations) {

    public double score(float[] x) {
      double z = bias;
      for (int i = 0; i < weights.length; i++) {
        z += weights[i] * x[i];
      }
      return 1 / (1 + Math.exp(-z));
    }
  }

  public static final double DEFAULT_L2 = 0.1;
  static final int MAX_ITERATIONS = 50;
  static final double TOLERANCE = 1e-8;

  private LogisticRegression() {}

  /**
   * @param x rows of equal length
   * @param y 1 for the positive class, 0 otherwise
   * @param weights a weight per row (1 for all when the classes should count as they come)
   */
  public static Fit fit(List<float[]> x, int[] y, double[] weights, double l2) {
    int n = x.size();
    if (n == 0 || n != y.length || n != weights.length) {
      throw new IllegalArgumentException("need as many labels and weights as rows, and some rows");
    }
    int d = x.get(0).length;
    int p = d + 1; // last coordinate: intercept
    double[] beta = new double[p];
    int iteration = 0;
    double previous = Double.POSITIVE_INFINITY;
    for (; iteration < MAX_ITERATIONS; iteration++) {
      double[] grad = new double[p];
      double[][] hess = new double[p][p];
      double loss = 0;
      for (int r = 0; r < n; r++) {
        float[] row = x.get(r);
        double z = beta[d];
        for (int j = 0; j < d; j++) {
          z += beta[j] * row[j];
        }
        double mu = 1 / (1 + Math.exp(-z));
        double w = weights[r];
        loss += w * (y[r] == 1 ? -Math.log(Math.max(mu, 1e-300)) : -Math.log(Math.max(1 - mu, 1e-300)));
        double g = w * (mu - y[r]);
        double h = w * mu * (1 - mu);
        for (int j = 0; j < d; j++) {
          grad[j] += g * row[j];
          double hr = h * row[j];
          double[] hj = hess[j];
          for (int k = 0; k <= j; k++) {
            hj[k] += hr * row[k];
          }
          hess[d][j] += hr;
        }
        grad[d] += g;
        hess[d][d] += h;
      }
      for (int j = 0; j < d; j++) {
        loss += 0.5 * l2 * beta[j] * beta[j];
        grad[j] += l2 * beta[j];
        hess[j][j] += l2;
      }
      hess[d][d] += 1e-9;
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < j; k++) {
          if (j < d) {
            hess[k][j] = hess[j][k];
          }
        }
      }
      for (int k = 0; k < d; k++) {
        hess[k][d] = hess[d][k];
      }
      double[] step = solve(hess, grad);
      for (int j = 0; j < p; j++) {
        beta[j] -= step[j];
      }
      if (Math.abs(previous - loss) < TOLERANCE * Math.max(1, Math.abs(loss))) {
        break;
      }
      previous = loss;
    }
    float[] w = new float[d];
    for (int j = 0; j < d; j++) {
      w[j] = (float) beta[j];
    }
    return new Fit(w, beta[d], iteration + 1);
  }

  /** Solves {@code a x = b} for a symmetric positive definite {@code a} by Cholesky. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          l[i][i] = Math.sqrt(Math.max(sum, 1e-12));
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k][i] * x[k];
      }
      x[i] = sum / l[i][i];
    }
    return x;
  }
}
