package dev.supportagent.evaluation.canary;

import java.util.ArrayList;
import java.util.List;

/**
 * Promote, roll back or wait, from the two arms' figures. Each signal compares the candidate with
 * the baseline as a difference with a 95 % normal-approximation interval (for rates, the
 * difference of two proportions; for means, of two means):
 *
 * <ul>
 *   <li><b>rollback</b> when any signal is worse by more than its allowed margin and worse than
 *       no change with 95 % confidence (the whole interval on the worse side of zero);
 *   <li><b>promote</b> when both arms have at least {@code minTurns} turns and, for every signal
 *       with enough data, the interval's worse end stays within the margin (non-inferiority);
 *   <li><b>wait</b> otherwise: too few turns, or an interval too wide to tell.
 * </ul>
 *
 * A signal without enough data in either arm (fewer than {@code minRated} ratings, no grounding
 * scores) is reported and left out.
 */
public final class CanaryDecision {

  static final double Z95 = 1.959964;

  public enum Recommendation {
    PROMOTE, ROLLBACK, WAIT
  }

  /** The allowed margins; rates and grounding in absolute points, cost relative to the baseline. */
  public record Margins(
      double negativeFeedback, double escalation, double guardTrips, double costRelative, double grounding,
      long minTurns, long minRated) {

    public static final Margins DEFAULTS = new Margins(0.05, 0.02, 0.02, 0.20, 0.05, 100, 20);
  }

  /**
   * One signal's comparison. {@code diff} and {@code ci95} are candidate minus baseline; {@code
   * higherIsWorse} says which way is bad.
   */
  public record Signal(
      String name, Double baseline, Double candidate, Double diff, double[] ci95, double margin,
      boolean higherIsWorse, String status) {}

  public record Result(Recommendation recommendation, List<Signal> signals, List<String> reasons) {}

  private CanaryDecision() {}

  public static Result decide(ArmStats baseline, ArmStats candidate, Margins margins) {
    List<Signal> signals = new ArrayList<>();
    signals.add(rate("negative_feedback_rate", baseline.negative(), baseline.rated(), candidate.negative(),
        candidate.rated(), margins.negativeFeedback(), margins.minRated()));
    signals.add(rate("escalation_rate", baseline.escalated(), baseline.turns(), candidate.escalated(),
        candidate.turns(), margins.escalation(), 1));
    signals.add(rate("guard_trip_rate", baseline.guardTrips(), baseline.turns(), candidate.guardTrips(),
        candidate.turns(), margins.guardTrips(), 1));
    signals.add(mean("cost_per_turn_usd", baseline.costMean(), baseline.costSd(), baseline.turns(),
        candidate.costMean(), candidate.costSd(), candidate.turns(),
        margins.costRelative() * baseline.costMean(), true));
    signals.add(mean("grounding", baseline.groundingMean(), baseline.groundingSd(), baseline.grounded(),
        candidate.groundingMean(), candidate.groundingSd(), candidate.grounded(), margins.grounding(), false));

    List<String> reasons = new ArrayList<>();
    for (Signal s : signals) {
      if ("worse".equals(s.status())) {
        reasons.add(s.name() + " is worse by " + fmt(Math.abs(s.diff())) + " (allowed " + fmt(s.margin())
            + ", 95 % interval " + fmt(s.ci95()[0]) + " to " + fmt(s.ci95()[1]) + ")");
      }
    }
    if (!reasons.isEmpty()) {
      return new Result(Recommendation.ROLLBACK, signals, reasons);
    }
    if (baseline.turns() < margins.minTurns() || candidate.turns() < margins.minTurns()) {
      reasons.add("too few turns: " + baseline.turns() + " and " + candidate.turns() + " (need "
          + margins.minTurns() + " in each arm)");
      return new Result(Recommendation.WAIT, signals, reasons);
    }
    for (Signal s : signals) {
      if ("undecided".equals(s.status())) {
        reasons.add(s.name() + ": the interval " + fmt(s.ci95()[0]) + " to " + fmt(s.ci95()[1])
            + " still allows a drop beyond " + fmt(s.margin()));
      }
    }
    if (!reasons.isEmpty()) {
      return new Result(Recommendation.WAIT, signals, reasons);
    }
    reasons.add("no signal is worse beyond its margin with 95 % confidence");
    return new Result(Recommendation.PROMOTE, signals, reasons);
  }

  static Signal rate(String name, long badB, long nB, long badC, long nC, double margin, long minN) {
    if (nB < minN || nC < minN || nB == 0 || nC == 0) {
      return new Signal(name, nB == 0 ? null : (double) badB / nB, nC == 0 ? null : (double) badC / nC, null,
          null, margin, true, "no_data");
    }
    double pB = (double) badB / nB;
    double pC = (double) badC / nC;
    double se = Math.sqrt(pB * (1 - pB) / nB + pC * (1 - pC) / nC);
    return compare(name, pB, pC, se, margin, true);
  }

  static Signal mean(
      String name, double mB, double sdB, long nB, double mC, double sdC, long nC, double margin, boolean higherIsWorse) {
    if (nB < 2 || nC < 2) {
      return new Signal(name, nB == 0 ? null : mB, nC == 0 ? null : mC, null, null, margin, higherIsWorse, "no_data");
    }
    double se = Math.sqrt(sdB * sdB / nB + sdC * sdC / nC);
    return compare(name, mB, mC, se, margin, higherIsWorse);
  }

  private static Signal compare(String name, double b, double c, double se, double margin, boolean higherIsWorse) {
    double diff = c - b;
    double[] ci = {diff - Z95 * se, diff + Z95 * se};
    // worse: positive for "higher is worse", negative otherwise
    double worse = higherIsWorse ? diff : -diff;
    double worseNear = higherIsWorse ? ci[0] : -ci[1];
    double worseFar = higherIsWorse ? ci[1] : -ci[0];
    String status;
    if (worse > margin && worseNear > 0) {
      status = "worse";
    } else if (worseFar <= margin) {
      status = "ok";
    } else {
      status = "undecided";
    }
    return new Signal(name, b, c, diff, ci, margin, higherIsWorse, status);
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4f", v);
  }
}
