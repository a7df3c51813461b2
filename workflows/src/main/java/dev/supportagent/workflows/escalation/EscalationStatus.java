package dev.supportagent.workflows.escalation;

/** Where an escalation stands. */
public enum EscalationStatus {
  /** In the queue, waiting for an agent. */
  OPEN,
  /** An agent has it. */
  CLAIMED,
  /** Done: handed back to the bot, or the conversation closed. */
  RESOLVED
}
