package dev.supportagent.workflows.conversation;

/** Values of the {@code SupportStatus} search attribute. */
public enum ConversationStatus {
  ACTIVE,
  ESCALATED,
  CLOSED
}
