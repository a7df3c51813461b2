package dev.supportagent.workflows.guard;

/**
 * What the agent says when the input guard stops a message. Short and polite, and never saying
 * which rule fired: a reply that names the rule teaches an attacker what to rephrase.
 */
public final class SafeReplies {

  /** An attack, a harmful request, abuse, or a message that breaks the size limits. */
  public static final String BLOCKED =
      "I'm sorry, I can't help with that message. Could you rephrase your question?";

  /** A request outside what the help centre covers: declined, not refused. */
  public static final String OFF_TOPIC =
      "I can only help with questions about our products and services, so I can't help with"
          + " that one. Is there anything about your account, an order or a product I can do for you?";

  /** The customer asked for a person, or the guard hands over (self-harm, for one). */
  public static final String HANDING_OVER =
      "Of course. I'm passing you to a member of our support team; they'll reply here as soon as"
          + " they can.";

  private SafeReplies() {}

  /** The reply for an input check's result, or null when the message may be answered. */
  public static String forInput(InputCheckResult result) {
    return switch (result.action()) {
      case BLOCK -> "off_topic".equals(result.reason()) ? OFF_TOPIC : BLOCKED;
      case ESCALATE -> HANDING_OVER;
      case ALLOW, REDACT -> null;
    };
  }
}
