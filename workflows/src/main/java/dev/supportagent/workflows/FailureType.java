package dev.supportagent.workflows;

/**
 * Types of non-retryable {@link io.temporal.failure.ApplicationFailure}s raised by workflows and
 * activities; callers branch on {@code ApplicationFailure.getType()} against these names.
 */
public enum FailureType {
  /** A message was sent to a conversation that is closed. */
  CONVERSATION_CLOSED,
  /** A message was empty, oversized or otherwise malformed. */
  INVALID_MESSAGE,
  /** A request to an activity was malformed; retrying cannot help. */
  INVALID_REQUEST,
  /** The knowledge base index does not exist yet. */
  KNOWLEDGE_BASE_MISSING;

  /** The failure type string carried by {@code ApplicationFailure}. */
  public String type() {
    return name();
  }
}
