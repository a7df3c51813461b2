package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scanner made of rules and, optionally, a classifier over the message's embedding:
 *
 * <ol>
 *   <li>a strong rule that matches in any view decides (score 1);
 *   <li>a weak rule decides when the classifier agrees, at {@code weakRuleThreshold} or more;
 *   <li>with a {@code classifierThreshold}, the classifier alone decides from that score.
 * </ol>
 *
 * <p>With a {@link KbDiscount}, words of the knowledge base's own vocabulary weigh less: when the
 * message uses a topical word ("prompt", "instructions", "model", ...) that the knowledge base
 * uses in enough of its passages, a strong topical rule counts as weak and the classifier's score
 * is multiplied by {@code 1 - factor}. A help centre about prompt templates can then be asked how
 * to change a template's system instructions, while "ignore all previous instructions" (a rule
 * that does not rest on such a word) still decides alone.
 *
 * <p>The embedding is computed only when step 2 or 3 needs it, so a message stopped by a rule
 * costs no model call.
 */
public final class RuleScanner implements InputScanner {

  /** No classifier step. */
  public static final double NONE = Double.NaN;

  /**
   * How the knowledge base's vocabulary discounts topical evidence.
   *
   * @param minShare the share of passages from which a word is the knowledge base's own
   * @param minPassages and the fewest passages
   * @param factor how much of the classifier's score a knowledge-base word takes off (0 to 1)
   */
  public record KbDiscount(double minShare, int minPassages, double factor) {
    public KbDiscount {
      if (!(minShare >= 0 && minShare <= 1) || minPassages < 1 || !(factor >= 0 && factor <= 1)) {
        throw new IllegalArgumentException("bad knowledge-base discount " + minShare + ", " + minPassages + ", " + factor);
      }
    }
  }

  private final String name;
  private final RuleSet rules;
  private final GuardAction action;
  private final Map<String, GuardAction> ruleActions;
  private final AttackClassifier classifier;
  private final boolean ownClassifier;
  private final double weakRuleThreshold;
  private final double classifierThreshold;
  private final KbDiscount discount;

  /**
   * @param ruleActions actions that replace {@code action} for particular rules (self-harm hands
   *     over to a person rather than refuse)
   * @param classifier the classifier this scanner reads, or null for none
   * @param discount how the knowledge base's vocabulary weighs, or null to ignore it
   */
  public RuleScanner(String name, RuleSet rules, GuardAction action, Map<String, GuardAction> ruleActions,
      AttackClassifier classifier, double weakRuleThreshold, double classifierThreshold, KbDiscount discount) {
    this.name = name;
    this.rules = rules;
    this.action = action;
    this.ruleActions = Map.copyOf(ruleActions);
    this.classifier = classifier;
    this.ownClassifier = true;
    this.weakRuleThreshold = weakRuleThreshold;
    this.classifierThreshold = classifierThreshold;
    this.discount = discount;
  }

  /** A scanner that reads the chain's injection classifier ({@link ScanContext#classifier()}). */
  public RuleScanner(String name, RuleSet rules, GuardAction action, Map<String, GuardAction> ruleActions,
      double weakRuleThreshold, double classifierThreshold) {
    this.name = name;
    this.rules = rules;
    this.action = action;
    this.ruleActions = Map.copyOf(ruleActions);
    this.classifier = null;
    this.ownClassifier = false;
    this.weakRuleThreshold = weakRuleThreshold;
    this.classifierThreshold = classifierThreshold;
    this.discount = null;
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
    boolean kb = discount != null && !context.kbWords(discount.minShare(), discount.minPassages()).isEmpty();
    List<String> reasons = new ArrayList<>();
    GuardAction decided = null;
    List<RuleSet.Hit> weak = new ArrayList<>();
    for (RuleSet.Hit hit : hits) {
      if (hit.rule().strong() && !(kb && hit.rule().topical())) {
        reasons.addAll(hit.reasons());
        decided = stricter(decided, ruleActions.getOrDefault(hit.rule().name(), action));
      } else {
        weak.add(hit);
      }
    }
    if (decided != null) {
      return new ScanVerdict(name, decided, 1.0, dedupe(reasons));
    }
    AttackClassifier c = ownClassifier ? classifier : context.classifier();
    boolean classify = c != null
        && ((!weak.isEmpty() && !Double.isNaN(weakRuleThreshold)) || !Double.isNaN(classifierThreshold));
    if (!classify) {
      return ScanVerdict.allow(name);
    }
    double p = context.score(c);
    if (kb) {
      p *= 1 - discount.factor();
    }
    if (!weak.isEmpty() && !Double.isNaN(weakRuleThreshold) && p >= weakRuleThreshold) {
      for (RuleSet.Hit hit : weak) {
        reasons.addAll(hit.reasons());
        decided = stricter(decided, ruleActions.getOrDefault(hit.rule().name(), action));
      }
      reasons.add("classifier");
      if (kb) {
        reasons.add("kb_vocabulary");
      }
      return new ScanVerdict(name, decided, round(p), dedupe(reasons));
    }
    if (!Double.isNaN(classifierThreshold) && p >= classifierThreshold) {
      return new ScanVerdict(name, action, round(p), kb ? List.of("classifier", "kb_vocabulary") : List.of("classifier"));
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
