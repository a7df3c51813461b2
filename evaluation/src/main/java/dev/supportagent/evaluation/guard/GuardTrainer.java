package dev.supportagent.evaluation.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supportagent.activities.guard.AttackClassifier;
import dev.supportagent.activities.guard.LogisticRegression;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the attack classifier on embedded rows and chooses its threshold on the training rows
 * only: the threshold is the lowest at which the whole chain (the rules' blocks plus the
 * classifier's) would have flagged at most {@code targetFpr} of the benign training rows, judged
 * on scores from inner cross-validation (each training row scored by a model that did not see
 * it). The held-out rows of an outer cross-validation never take part.
 */
public final class GuardTrainer {

  /**
   * @param l2 the L2 penalty of the logistic regression
   * @param targetFpr the share of benign training rows the chain may flag
   * @param innerFolds folds of the inner cross-validation that picks the threshold
   * @param seed for the folds
   */
  public record Settings(double l2, double targetFpr, int innerFolds, long seed) {
    public static final Settings DEFAULT = new Settings(LogisticRegression.DEFAULT_L2, 0.01, 5, 7);
  }

  private final Settings settings;

  public GuardTrainer(Settings settings) {
    this.settings = settings;
  }

  /**
   * @param rows training rows
   * @param embeddings one per row
   * @param ruleBlocked whether the rules alone (no classifier) block each row
   */
  public AttackClassifier train(List<GuardRow> rows, List<float[]> embeddings, boolean[] ruleBlocked, JsonNode provenance) {
    int[] y = labels(rows);
    double[] w = weights(rows);
    LogisticRegression.Fit fit = LogisticRegression.fit(embeddings, y, w, settings.l2());
    double threshold = chooseThreshold(rows, embeddings, ruleBlocked);
    return new AttackClassifier(fit.weights(), fit.bias(), threshold, provenance);
  }

  /** Inner cross-validated scores, then the lowest threshold within the target. */
  double chooseThreshold(List<GuardRow> rows, List<float[]> embeddings, boolean[] ruleBlocked) {
    int[] folds = folds(rows, settings.innerFolds(), settings.seed() + 1);
    double[] scores = new double[rows.size()];
    for (int k = 0; k < settings.innerFolds(); k++) {
      List<float[]> x = new ArrayList<>();
      List<Integer> trainIdx = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (folds[i] != k) {
          x.add(embeddings.get(i));
          trainIdx.add(i);
        }
      }
      int[] y = new int[trainIdx.size()];
      double[] w = new double[trainIdx.size()];
      for (int j = 0; j < trainIdx.size(); j++) {
        y[j] = rows.get(trainIdx.get(j)).attack() ? 1 : 0;
        w[j] = 1;
      }
      LogisticRegression.Fit fit = LogisticRegression.fit(x, y, w, settings.l2());
      for (int i = 0; i < rows.size(); i++) {
        if (folds[i] == k) {
          scores[i] = fit.score(embeddings.get(i));
        }
      }
    }
    return thresholdFor(rows, scores, ruleBlocked, settings.targetFpr());
  }

  /** The lowest threshold at which rules plus classifier flag at most {@code target} of the benign rows. */
  static double thresholdFor(List<GuardRow> rows, double[] scores, boolean[] ruleBlocked, double target) {
    int benign = 0;
    int ruleFp = 0;
    List<Double> candidates = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!rows.get(i).attack()) {
        benign++;
        if (ruleBlocked[i]) {
          ruleFp++;
        } else {
          candidates.add(scores[i]);
        }
      }
    }
    double[] sorted = candidates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int allowed = (int) Math.floor(target * benign) - ruleFp;
    if (allowed < 0) {
      allowed = 0;
    }
    // flag the `allowed` highest-scoring benign rows at most: the threshold sits just above the next
    int index = sorted.length - 1 - allowed;
    if (index < 0) {
      return 0.5;
    }
    double t = Math.nextUp(sorted[index]);
    return Math.min(0.99, Math.max(0.01, t));
  }

  static int[] labels(List<GuardRow> rows) {
    return rows.stream().mapToInt(r -> r.attack() ? 1 : 0).toArray();
  }

  static double[] weights(List<GuardRow> rows) {
    double[] w = new double[rows.size()];
    Arrays.fill(w, 1);
    return w;
  }

  /** Folds stratified by source and label, the same for the same rows and seed. */
  public static int[] folds(List<GuardRow> rows, int k, long seed) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      groups.computeIfAbsent(rows.get(i).source() + "|" + rows.get(i).attack(), g -> new ArrayList<>()).add(i);
    }
    int[] folds = new int[rows.size()];
    Random random = new Random(seed);
    int offset = 0;
    for (List<Integer> group : groups.values()) {
      java.util.Collections.shuffle(group, random);
      for (int j = 0; j < group.size(); j++) {
        folds[group.get(j)] = (offset + j) % k;
      }
      offset += group.size();
    }
    return folds;
  }
}
