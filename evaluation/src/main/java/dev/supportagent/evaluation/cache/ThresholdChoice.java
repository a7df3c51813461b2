package dev.supportagent.evaluation.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Chooses the semantic cache's similarity threshold from labelled pairs: the lowest threshold of a
 * grid from which on every higher one keeps wrong hits (hits on pairs whose answers differ) at or
 * below a share of all hits. Requiring it of every higher threshold too keeps a lucky dip in the
 * middle of the grid from being chosen.
 */
public final class ThresholdChoice {

  private ThresholdChoice() {}

  /**
   * How the cache answered one pair, with the first question stored and the second looked up.
   *
   * @param exact the exact layer answered (the two normalise to the same text)
   * @param similarity the cosine similarity of the two questions' embeddings; negative infinity
   *     when the semantic layer found nothing
   */
  public record Outcome(ParaphrasePair pair, boolean exact, double similarity) {
    public boolean hit(double threshold) {
      return exact || similarity >= threshold;
    }
  }

  /** What a threshold does on a set of pairs. */
  public record Counts(
      double threshold,
      int positives,
      int negatives,
      int hardNegatives,
      int rightHits,
      int wrongHits,
      int hardNegativeHits,
      int exactHits) {

    public int hits() {
      return rightHits + wrongHits;
    }

    /** Share of the pairs with the same answer that hit. */
    public double hitRate() {
      return positives == 0 ? 0 : rightHits / (double) positives;
    }

    /** Share of hits that are wrong: the goal's measure. */
    public double wrongShareOfHits() {
      return hits() == 0 ? 0 : wrongHits / (double) hits();
    }

    /** Share of the pairs with different answers that hit. */
    public double negativesHitShare() {
      return negatives == 0 ? 0 : wrongHits / (double) negatives;
    }

    Counts plus(Counts o) {
      return new Counts(
          Double.NaN, positives + o.positives, negatives + o.negatives, hardNegatives + o.hardNegatives,
          rightHits + o.rightHits, wrongHits + o.wrongHits, hardNegativeHits + o.hardNegativeHits,
          exactHits + o.exactHits);
    }
  }

  /** One fold of a cross-validation: the threshold chosen without it and what it does on it. */
  public record Fold(int fold, Optional<Double> threshold, int trainingPairs, Counts heldOut) {}

  public static Counts count(List<Outcome> outcomes, double threshold) {
    int positives = 0;
    int negatives = 0;
    int hard = 0;
    int right = 0;
    int wrong = 0;
    int hardHits = 0;
    int exact = 0;
    for (Outcome o : outcomes) {
      boolean hit = o.hit(threshold);
      boolean isHard = o.pair().kind().equals("hard_negative");
      if (o.pair().same()) {
        positives++;
        right += hit ? 1 : 0;
      } else {
        negatives++;
        wrong += hit ? 1 : 0;
        hard += isHard ? 1 : 0;
        hardHits += hit && isHard ? 1 : 0;
      }
      exact += o.exact() ? 1 : 0;
    }
    return new Counts(threshold, positives, negatives, hard, right, wrong, hardHits, exact);
  }

  /** {@code from}, {@code from + step}, ... up to {@code to} inclusive, rounded to 4 decimals. */
  public static List<Double> grid(double from, double to, double step) {
    if (!(step > 0) || from > to) {
      throw new IllegalArgumentException("need from <= to and step > 0");
    }
    List<Double> grid = new ArrayList<>();
    for (int i = 0; ; i++) {
      double t = Math.round((from + i * step) * 10_000) / 10_000.0;
      if (t > to + 1e-9) {
        return grid;
      }
      grid.add(t);
    }
  }

  /**
   * The lowest threshold of {@code grid} from which on every threshold of the grid keeps {@link
   * Counts#wrongShareOfHits()} at or below {@code maxWrongShare}; empty when even the highest does
   * not (the exact layer alone can be wrong).
   */
  public static Optional<Double> choose(List<Outcome> outcomes, List<Double> grid, double maxWrongShare) {
    List<Double> sorted = new ArrayList<>(new TreeSet<>(grid));
    Collections.reverse(sorted);
    Double chosen = null;
    for (double t : sorted) {
      if (count(outcomes, t).wrongShareOfHits() > maxWrongShare) {
        break;
      }
      chosen = t;
    }
    return Optional.ofNullable(chosen);
  }

  /**
   * {@code k}-fold cross-validation by group: each fold's threshold is chosen on the other folds'
   * pairs and measured on its own. Groups (pairs built around one question) stay whole, so a
   * question never helps choose the threshold that is then measured on it. A fold whose training
   * pairs allow no threshold is measured at the highest threshold of the grid.
   */
  public static List<Fold> crossValidate(
      List<Outcome> outcomes, List<Double> grid, double maxWrongShare, int k, long seed) {
    return crossValidate(outcomes, grid, maxWrongShare, k, seed, 0);
  }

  /**
   * As {@link #crossValidate(List, List, double, int, long)}, but each fold is measured at the
   * threshold chosen on its training folds plus {@code margin}: the procedure by which the
   * deployed default was set (the chosen threshold and a safety margin above it).
   */
  public static List<Fold> crossValidate(
      List<Outcome> outcomes, List<Double> grid, double maxWrongShare, int k, long seed, double margin) {
    List<String> groups = new ArrayList<>(new TreeSet<>(outcomes.stream().map(o -> o.pair().group()).toList()));
    Collections.shuffle(groups, new Random(seed));
    Map<String, Integer> foldOf =
        groups.stream().collect(Collectors.toMap(Function.identity(), g -> groups.indexOf(g) % k));
    double highest = grid.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      int fold = f;
      List<Outcome> training = outcomes.stream().filter(o -> foldOf.get(o.pair().group()) != fold).toList();
      List<Outcome> heldOut = outcomes.stream().filter(o -> foldOf.get(o.pair().group()) == fold).toList();
      Optional<Double> threshold =
          choose(training, grid, maxWrongShare).map(t -> Math.round((t + margin) * 10_000) / 10_000.0);
      folds.add(new Fold(f, threshold, training.size(), count(heldOut, threshold.orElse(highest))));
    }
    return folds;
  }

  /** The held-out counts of every fold added up. */
  public static Counts pooled(List<Fold> folds) {
    Counts total = new Counts(Double.NaN, 0, 0, 0, 0, 0, 0, 0);
    for (Fold f : folds) {
      total = total.plus(f.heldOut());
    }
    return total;
  }
}
