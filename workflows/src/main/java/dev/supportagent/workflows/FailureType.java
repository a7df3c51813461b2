package dev.supportagent.workflows;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

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
  KNOWLEDGE_BASE_MISSING,
  /** An ingestion source is missing, outside the allowed root, or has no documents. */
  INVALID_SOURCE,
  /** An escalation is already claimed by another agent. */
  ESCALATION_CLAIMED,
  /** An escalation action by an agent who has not claimed it. */
  NOT_CLAIMING_AGENT,
  /** An escalation that is already resolved. */
  ESCALATION_RESOLVED;

  /** The failure type string carried by {@code ApplicationFailure}. */
  public String type() {
    return name();
  }

  /**
   * A non-retryable failure of this type. The message starts with the type, because an update
   * validator's rejection reaches the client wrapped, with its message kept but its type replaced.
   */
  public ApplicationFailure failure(String message) {
    return ApplicationFailure.newNonRetryableFailure(type() + ": " + message, type());
  }

  /**
   * The first of our failure types found along a failure's cause chain. The SDK wraps failures
   * (an update validator's rejection arrives inside a {@code WorkflowExecutionException}), so the
   * type is looked for at every level, not only the top one.
   */
  public static Optional<FailureType> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af) {
        String message = af.getOriginalMessage() == null ? "" : af.getOriginalMessage();
        for (FailureType type : values()) {
          if (type.type().equals(af.getType()) || message.startsWith(type.type() + ": ")) {
            return Optional.of(type);
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
