package dev.supportagent.workflows.escalation;

/**
 * The agents' queue in Redis, written by the escalation activities and read by the API: a sorted
 * set of open escalation ids, most urgent first (higher priority, then older), and each
 * escalation's latest view as JSON.
 */
public final class EscalationKeys {

  public static final String QUEUE = "support:escalations:queue";

  private EscalationKeys() {}

  public static String view(String escalationId) {
    return "support:escalations:view:" + escalationId;
  }

  /** Sorts by priority (higher first), then by age (older first): lower scores come first. */
  public static double score(int priority, long createdAtMillis) {
    return -priority * 1e13 + createdAtMillis;
  }
}
