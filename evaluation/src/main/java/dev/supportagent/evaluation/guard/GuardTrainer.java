package dev.supportagent.evaluation.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supportagent.activities.guard.AttackClassifier;
import dev.supportagent.activities.guard.HarmFeatures;
import dev.supportagent.activities.guard.LogisticRegression;
import dev.supportagent.activities.guard.Mlp;
import dev.supportagent.activities.guard.Normaliser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the chain's two classifiers on embedded rows, the injection classifier and the
 * harmful-request one, and chooses both thresholds on the training rows only: the pair that
 * flags the most attack rows while the whole chain (the rules' blocks, the weak rules' with their
 * classifier's support, and both classifiers') flags at most each benign source's target share,
 * judged on scores from inner cross-validation (each training row scored by models that did not
 * see it). The rows of an outer evaluation (a fold, a left-out source) never take part.
 */
public final class GuardTrainer {

  /** What an attack source teaches: prompt injection and jailbreaks, harmful requests, or both. */
  public enum Kind {
    INJECTION,
    HARMFUL,
    BOTH;

    boolean injection() {
      return this != HARMFUL;
    }

    boolean harmful() {
      return this != INJECTION;
    }
  }

  /**
   * @param l2 the L2 penalty of the logistic regression
   * @param targetFpr the share of each benign training source's rows the chain may flag
   * @param innerFolds folds of the inner cross-validation that picks the thresholds
   * @param seed for the folds
   * @param balance whether each source weighs the same in the fit, whatever its size
   * @param sourceFpr the share for particular sources, in place of {@code targetFpr} (sources
   *     that are borderline by design, such as OR-Bench-Hard, may lose a few more rows)
   * @param mlp null for a logistic regression (L2 {@code l2}); else a one-hidden-layer perceptron
   *     with these settings
   * @param features whether the classifiers read the message's wording features ({@link
   *     HarmFeatures}) beside its embedding
   */
  public record Settings(double l2, double targetFpr, int innerFolds, long seed, boolean balance,
      Map<String, Double> sourceFpr, Mlp.Settings mlp, boolean features) {
    /**
     * What each known benign source may lose, every other source (customers' questions: banking77,
     * CLINC, the support near-misses) 1 %: about 4 % of the pooled benign rows. The issue's
     * stricter goals (3 % on NotInject and PHTest, 10 % on the borderline OR-Bench-Hard and
     * JBB-benign, 1 % on deepset's benign prompts) left 0.42 of the training sources' attacks
     * blocked at 1.6 % pooled FPR, and 0.40 to 0.54 of the injections in the support sets' refuse
     * rows; these give 0.70 at 4.2 % (docs/results/issue14-guard.md).
     */
    public static final Map<String, Double> KNOWN_SOURCE_FPR =
        Map.of("deepset-train", 0.05, "notinject-1", 0.05, "phtest", 0.08, "orbench-hard", 0.25, "jbb-benign", 0.25);
    public static final Settings DEFAULT =
        new Settings(1.0, 0.01, 5, 7, true, KNOWN_SOURCE_FPR, null, true);

    public Settings {
      sourceFpr = Map.copyOf(sourceFpr);
    }

    public Settings(double l2, double targetFpr, int innerFolds, long seed, boolean balance,
        Map<String, Double> sourceFpr) {
      this(l2, targetFpr, innerFolds, seed, balance, sourceFpr, null, false);
    }

    public Settings(double l2, double targetFpr, int innerFolds, long seed) {
      this(l2, targetFpr, innerFolds, seed, false, Map.of());
    }

    double target(String source) {
      return sourceFpr.getOrDefault(source, targetFpr);
    }
  }

  /** The two classifiers of the chain. */
  public record Pair(AttackClassifier injection, AttackClassifier harmful) {}

  /**
   * Rows where a weak rule fires, which the chain blocks when the scanner's classifier gives at
   * least the weak-rule threshold: part of what the chosen thresholds must leave room for.
   *
   * @param injection a weak injection rule fires, per row
   * @param harmful a weak harmful rule fires, per row
   */
  public record WeakRules(boolean[] injection, boolean[] harmful, double injectionThreshold, double harmfulThreshold) {

    static WeakRules none(int rows) {
      return new WeakRules(new boolean[rows], new boolean[rows], 1, 1);
    }

    WeakRules subset(java.util.function.IntPredicate in) {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < injection.length; i++) {
        if (in.test(i)) {
          keep.add(i);
        }
      }
      boolean[] a = new boolean[keep.size()];
      boolean[] b = new boolean[keep.size()];
      for (int j = 0; j < a.length; j++) {
        a[j] = injection[keep.get(j)];
        b[j] = harmful[keep.get(j)];
      }
      return new WeakRules(a, b, injectionThreshold, harmfulThreshold);
    }
  }

  private final Settings settings;
  private final Map<String, Kind> kinds;

  public GuardTrainer(Settings settings) {
    this(settings, Map.of());
  }

  /** @param kinds what each attack source teaches; a source not named teaches both */
  public GuardTrainer(Settings settings, Map<String, Kind> kinds) {
    this.settings = settings;
    this.kinds = Map.copyOf(kinds);
  }

  Kind kind(GuardRow row) {
    return kinds.getOrDefault(row.source(), Kind.BOTH);
  }

  /**
   * Trains the injection classifier (injection attacks against every benign row) and the harmful
   * one (harmful requests against every benign row), then chooses both thresholds together on
   * inner cross-validated scores: the pair that flags the most attack rows while the rules plus
   * both classifiers flag at most the target of the benign rows.
   */
  public Pair trainPair(List<GuardRow> rows, List<float[]> embeddings, boolean[] ruleBlocked,
      JsonNode injectionProvenance, JsonNode harmfulProvenance) {
    return trainPair(rows, embeddings, ruleBlocked, WeakRules.none(rows.size()), injectionProvenance, harmfulProvenance);
  }

  /** As above, leaving room for what the weak rules block with the classifiers' support. */
  public Pair trainPair(List<GuardRow> rows, List<float[]> embeddings, boolean[] ruleBlocked, WeakRules weak,
      JsonNode injectionProvenance, JsonNode harmfulProvenance) {
    if (settings.features()) {
      embeddings = withFeatures(rows, embeddings);
    }
    AttackClassifier inj = fit(rows, embeddings, null, true);
    AttackClassifier harm = fit(rows, embeddings, null, false);
    int[] folds = folds(rows, settings.innerFolds(), settings.seed() + 1);
    double[] si = new double[rows.size()];
    double[] sh = new double[rows.size()];
    for (int k = 0; k < settings.innerFolds(); k++) {
      boolean[] in = new boolean[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        in[i] = folds[i] != k;
      }
      AttackClassifier fi = fit(rows, embeddings, in, true);
      AttackClassifier fh = fit(rows, embeddings, in, false);
      for (int i = 0; i < rows.size(); i++) {
        if (!in[i]) {
          si[i] = fi.scoreInputs(embeddings.get(i));
          sh[i] = fh.scoreInputs(embeddings.get(i));
        }
      }
    }
    boolean[] fixed = ruleBlocked.clone();
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] |= weak.injection()[i] && si[i] >= weak.injectionThreshold()
          || weak.harmful()[i] && sh[i] >= weak.harmfulThreshold();
    }
    double[] t = thresholdsFor(rows, si, sh, fixed);
    return new Pair(withProvenance(inj.withThreshold(t[0]), injectionProvenance),
        withProvenance(harm.withThreshold(t[1]), harmfulProvenance));
  }

  private static AttackClassifier withProvenance(AttackClassifier c, JsonNode provenance) {
    return new AttackClassifier(c.weights(), c.bias(), c.threshold(), provenance, c.hidden(), c.hiddenBias(),
        c.features());
  }

  /**
   * Each row's embedding followed by its wording features, read from the normalised text as the
   * chain reads them.
   */
  static List<float[]> withFeatures(List<GuardRow> rows, List<float[]> embeddings) {
    Normaliser normaliser = new Normaliser();
    List<float[]> x = new ArrayList<>(embeddings.size());
    for (int i = 0; i < rows.size(); i++) {
      x.add(HarmFeatures.append(embeddings.get(i), normaliser.normalise(rows.get(i).text()).text()));
    }
    return x;
  }

  /** One classifier's fit on the rows {@code in} (all when null): its kind of attack against benign rows. */
  private AttackClassifier fit(List<GuardRow> rows, List<float[]> embeddings, boolean[] in, boolean injection) {
    List<float[]> x = new ArrayList<>();
    List<GuardRow> used = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      GuardRow r = rows.get(i);
      if (in != null && !in[i]) {
        continue;
      }
      if (r.attack() && !(injection ? kind(r).injection() : kind(r).harmful())) {
        continue;
      }
      x.add(embeddings.get(i));
      used.add(r);
    }
    double[] w = settings.balance() ? balanced(used) : weights(used);
    if (settings.mlp() != null) {
      Mlp.Fit f = Mlp.fit(x, labels(used), w, settings.mlp());
      return new AttackClassifier(f.weights(), f.bias(), 0.5, null, f.hidden(), f.hiddenBias(), features());
    }
    LogisticRegression.Fit f = LogisticRegression.fit(x, labels(used), w, settings.l2());
    return new AttackClassifier(f.weights(), f.bias(), 0.5, null, null, null, features());
  }

  private String features() {
    return settings.features() ? AttackClassifier.HARM_FEATURES : null;
  }

  /** Weights that give every source and label the same total, scaled to a mean of 1. */
  static double[] balanced(List<GuardRow> rows) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (GuardRow r : rows) {
      counts.merge(r.source() + "|" + r.attack(), 1, Integer::sum);
    }
    double[] w = new double[rows.size()];
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      GuardRow r = rows.get(i);
      // square root: a small source counts for more than its size, without one row weighing like a hundred
      w[i] = 1 / Math.sqrt(counts.get(r.source() + "|" + r.attack()));
      sum += w[i];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] *= w.length / sum;
    }
    return w;
  }

  /**
   * The pair of thresholds (injection, harmful) that flags the most attack rows while, in every
   * benign source, the rows flagged (by the rules or either classifier) stay within that source's
   * target ({@link Settings#target}).
   */
  double[] thresholdsFor(List<GuardRow> rows, double[] si, double[] sh, boolean[] ruleBlocked) {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<Integer> free = new ArrayList<>();
    List<Integer> attacks = new ArrayList<>();
    int[] source = new int[rows.size()];
    List<int[]> tallies = new ArrayList<>(); // per benign source: rows, rule blocks
    for (int i = 0; i < rows.size(); i++) {
      GuardRow r = rows.get(i);
      if (r.attack()) {
        if (!ruleBlocked[i]) {
          attacks.add(i);
        }
        continue;
      }
      source[i] = index.computeIfAbsent(r.source(), k -> {
        tallies.add(new int[2]);
        return tallies.size() - 1;
      });
      tallies.get(source[i])[0]++;
      if (ruleBlocked[i]) {
        tallies.get(source[i])[1]++;
      } else {
        free.add(i);
      }
    }
    int[] cap = new int[tallies.size()];
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      int[] t = tallies.get(e.getValue());
      cap[e.getValue()] = Math.max(0, (int) Math.floor(settings.target(e.getKey()) * t[0] + 1e-9) - t[1]);
    }
    Integer[] byInj = free.toArray(new Integer[0]);
    java.util.Arrays.sort(byInj, (a, b) -> Double.compare(si[b], si[a]));
    Integer[] byHarm = free.toArray(new Integer[0]);
    java.util.Arrays.sort(byHarm, (a, b) -> Double.compare(sh[b], sh[a]));
    double[] best = {0.99, 0.99};
    int bestCaught = -1;
    int[] byInjection = new int[cap.length];
    // a: how many of the highest-scoring benign rows the injection classifier may flag
    for (int a = 0; a <= byInj.length; a++) {
      if (a > 0 && ++byInjection[source[byInj[a - 1]]] > cap[source[byInj[a - 1]]]) {
        break;
      }
      if (a > 0 && a < byInj.length && si[byInj[a]] == si[byInj[a - 1]]) {
        continue; // ties: this threshold would flag the row below too
      }
      double ti = a < byInj.length ? Math.nextUp(si[byInj[a]]) : 0.01;
      int[] flagged = byInjection.clone();
      double th = 0.01;
      for (Integer j : byHarm) {
        if (si[j] >= ti) {
          continue; // already flagged by the injection classifier
        }
        if (flagged[source[j]] + 1 > cap[source[j]]) {
          th = Math.nextUp(sh[j]);
          break;
        }
        flagged[source[j]]++;
      }
      ti = clamp(ti);
      th = clamp(th);
      int caught = 0;
      for (int i : attacks) {
        if (si[i] >= ti || sh[i] >= th) {
          caught++;
        }
      }
      if (caught > bestCaught) {
        bestCaught = caught;
        best = new double[] {ti, th};
      }
    }
    return best;
  }

  private static double clamp(double t) {
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
