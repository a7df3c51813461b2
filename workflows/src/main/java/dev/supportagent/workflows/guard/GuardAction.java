package dev.supportagent.workflows.guard;

/** What a check decided about a message or a reply. */
public enum GuardAction {
  ALLOW,
  REDACT,
  BLOCK,
  ESCALATE
}
