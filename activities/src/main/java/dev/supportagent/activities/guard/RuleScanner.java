package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scanner made of rules and, optionally, the attack classifier:
 *
 * <ol>
 *   <li>a strong rule that matches in any view decides (score 1);
 *   <li>a weak rule decides when the classifier agrees, at {@code weakRuleThreshold} or more;
 *   <li>with a {@code classifierThreshold}, the classifier alone decides from that score.
 * </ol>
 *
 * <p>The embedding is computed only when step 2 or 3 needs it, so a message stopped by a rule
 * costs no model call.
 */
public final class RuleScanner implements InputScanner {

  /** No classifier step. */
  public static final double NONE = Double.NaN;

  private final String name;
  private final RuleSet rules;
  private final GuardAction action;
  private final Map<String, GuardAction> ruleActions;
  private final double weakRuleThreshold;
  private final double classifierThreshold;

  /**
   * @param ruleActions actions that replace {@code action} for particular rules (self-harm hands
   *     over to a person rather than refuse)
   */
  public RuleScanner(String name, RuleSet rules, GuardAction action, Map<String, GuardAction> ruleActions,
      double weakRuleThreshold, double classifierThreshold) {
    this.name = name;
    this.rules = rules;
    this.action = action;
    this.ruleActions = Map.copyOf(ruleActions);
    this.weakRuleThreshold = weakRuleThreshold;
    this.classifierThreshold = classifierThreshold;
  }

  public RuleScanner(String name, RuleSet rules, GuardAction action) {
    this(name, rules, action, Map.of(), NONE, NONE);
  }

  @Override
  public String name() {
    return name;
  }

  public RuleSet rules() {
    return rules;
  }

  @Override
  public ScanVerdict scan(ScanContext context) {
    List<RuleSet.Hit> hits = rules.match(context.normalised(), context.normalised().text());
    List<String> reasons = new ArrayList<>();
    GuardAction decided = null;
    List<RuleSet.Hit> weak = new ArrayList<>();
    for (RuleSet.Hit hit : hits) {
      if (hit.rule().strong()) {
        reasons.addAll(hit.reasons());
        decided = stricter(decided, ruleActions.getOrDefault(hit.rule().name(), action));
      } else {
        weak.add(hit);
      }
    }
    if (decided != null) {
      return new ScanVerdict(name, decided, 1.0, dedupe(reasons));
    }
    boolean classify = context.classifier() != null
        && ((!weak.isEmpty() && !Double.isNaN(weakRuleThreshold)) || !Double.isNaN(classifierThreshold));
    if (!classify) {
      return ScanVerdict.allow(name);
    }
    double p = context.attackScore();
    if (!weak.isEmpty() && !Double.isNaN(weakRuleThreshold) && p >= weakRuleThreshold) {
      for (RuleSet.Hit hit : weak) {
        reasons.addAll(hit.reasons());
        decided = stricter(decided, ruleActions.getOrDefault(hit.rule().name(), action));
      }
      reasons.add("classifier");
      return new ScanVerdict(name, decided, round(p), dedupe(reasons));
    }
    if (!Double.isNaN(classifierThreshold) && p >= classifierThreshold) {
      return new ScanVerdict(name, action, round(p), List.of("classifier"));
    }
    return new ScanVerdict(name, GuardAction.ALLOW, round(p), List.of());
  }

  static GuardAction stricter(GuardAction a, GuardAction b) {
    if (a == null) {
      return b;
    }
    return rank(b) > rank(a) ? b : a;
  }

  /** BLOCK over ESCALATE over REDACT over ALLOW. */
  static int rank(GuardAction a) {
    return switch (a) {
      case ALLOW -> 0;
      case REDACT -> 1;
      case ESCALATE -> 2;
      case BLOCK -> 3;
    };
  }

  private static List<String> dedupe(List<String> reasons) {
    return reasons.stream().distinct().toList();
  }

  private static double round(double p) {
    return Math.round(p * 10_000) / 10_000.0;
  }
}
