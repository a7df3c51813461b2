package dev.supportagent.activities.model;

import dev.supportagent.activities.model.gateway.ModelTier;
import dev.supportagent.workflows.answer.AnswerRequest;
import java.util.regex.Pattern;

/**
 * Chooses, per turn, the strong tier, the fast tier or no model at all, by rules one can read:
 *
 * <ol>
 *   <li>nothing relevant was retrieved: no model (the offline answerer declines and offers a
 *       person);
 *   <li>the conversation's or the day's budget is spent: no model;
 *   <li>the strong tier when the turn needs it — an earlier turn's model call failed, the question
 *       is long ({@value #LONG_QUESTION_WORDS}+ words), it asks why or how or to compare or
 *       troubleshoot, or retrieval is only just above the relevance threshold;
 *   <li>otherwise the fast tier;
 *   <li>and the strong tier is downgraded to the fast one once half of either budget is spent.
 * </ol>
 */
public final class TurnRouter {

  static final int LONG_QUESTION_WORDS = 30;
  /** Retrieval this close above the relevance threshold is weak evidence: a stronger reader helps. */
  static final double WEAK_RETRIEVAL_MARGIN = 0.05;

  private static final Pattern HARD_QUESTION =
      Pattern.compile(
          "(?i)\\b(why|how (do|does|can|could|should|to)|compare|difference|versus|vs\\.?|troubleshoot"
              + "|not working|doesn'?t work|won'?t|can'?t|error|fails?|broken)\\b");

  /** Budgets in US dollars; 0 turns a budget off. */
  public record Budgets(double perConversationUsd, double perDayUsd) {}

  /** Spending so far, in US dollars. */
  public record Spent(double conversationUsd, double dayUsd) {}

  /**
   * @param tier the tier, or null for no model (the offline answerer)
   * @param reason why, for the turn's record
   */
  public record Route(ModelTier tier, String reason) {
    public String label() {
      return tier == null ? "offline" : tier.label();
    }
  }

  private final Budgets budgets;
  private final double relevanceThreshold;

  public TurnRouter(Budgets budgets, double relevanceThreshold) {
    this.budgets = budgets;
    this.relevanceThreshold = relevanceThreshold;
  }

  public Route route(AnswerRequest request, Spent spent) {
    if (!request.relevant() || request.passages().isEmpty()) {
      return new Route(null, "nothing relevant retrieved");
    }
    if (spentFraction(spent) >= 1) {
      return new Route(null, "budget spent");
    }
    String strongReason = strongReason(request);
    if (strongReason == null) {
      return new Route(ModelTier.FAST, "default");
    }
    if (spentFraction(spent) >= 0.5) {
      return new Route(ModelTier.FAST, strongReason + ", downgraded: half the budget spent");
    }
    return new Route(ModelTier.STRONG, strongReason);
  }

  private String strongReason(AnswerRequest request) {
    if (request.earlierFailures() > 0) {
      return "earlier model failure";
    }
    String q = request.question().strip();
    if (q.split("\\s+").length >= LONG_QUESTION_WORDS) {
      return "long question";
    }
    if (HARD_QUESTION.matcher(q).find()) {
      return "how/why/troubleshooting question";
    }
    if (request.retrievalScore() < relevanceThreshold + WEAK_RETRIEVAL_MARGIN) {
      return "weak retrieval";
    }
    return null;
  }

  /** The larger of the two budgets' spent fractions (0 when no budget is set). */
  private double spentFraction(Spent spent) {
    double conversation =
        budgets.perConversationUsd() > 0 ? spent.conversationUsd() / budgets.perConversationUsd() : 0;
    double day = budgets.perDayUsd() > 0 ? spent.dayUsd() / budgets.perDayUsd() : 0;
    return Math.max(conversation, day);
  }
}
