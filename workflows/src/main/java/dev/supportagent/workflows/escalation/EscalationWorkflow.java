package dev.supportagent.workflows.escalation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A conversation handed to human agents: a child of the conversation, id {@code
 * escalation-<conversationId>-<n>}. It keeps the ticket in the agents' queue, runs the service-level
 * timers, and relays the agent's replies to the conversation.
 */
@WorkflowInterface
public interface EscalationWorkflow {

  /** Runs until an agent resolves it (or the conversation is closed, which cancels it). */
  @WorkflowMethod
  EscalationView run(EscalationTicket ticket);

  /** Takes the escalation; the same agent claiming again is a no-op. */
  @UpdateMethod
  EscalationView claim(AgentAction action);

  /** Rejects a claim of an escalation claimed by another agent or already resolved. */
  @UpdateValidatorMethod(updateName = "claim")
  void validateClaim(AgentAction action);

  /** Sends the agent's reply to the customer. */
  @UpdateMethod
  EscalationView reply(AgentAction action);

  /** Rejects a reply by an agent who has not claimed the escalation, or an empty one. */
  @UpdateValidatorMethod(updateName = "reply")
  void validateReply(AgentAction action);

  /** Ends the escalation, handing the conversation back to the bot or closing it. */
  @UpdateMethod
  EscalationView resolve(Resolution resolution);

  @UpdateValidatorMethod(updateName = "resolve")
  void validateResolve(Resolution resolution);

  /** A customer's message sent while the conversation is escalated (the conversation forwards it). */
  @SignalMethod
  void customerMessage(String text);

  /** The conversation was closed while escalated: the escalation ends and leaves the queue. */
  @SignalMethod
  void conversationClosed(String reason);

  @QueryMethod
  EscalationView getView();
}
