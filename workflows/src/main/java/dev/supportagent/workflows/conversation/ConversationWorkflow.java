package dev.supportagent.workflows.conversation;

import dev.supportagent.workflows.escalation.AgentAction;
import dev.supportagent.workflows.escalation.Resolution;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One support conversation, id {@code conversation-<uuid>}. */
@WorkflowInterface
public interface ConversationWorkflow {

  /** Runs until closed, by {@link #close} or after the idle timeout. */
  @WorkflowMethod
  ConversationResult run(ConversationStart start);

  /**
   * Answers a customer's message. Send it as an update whose id is {@code turn.messageId()}: a
   * repeated id returns the first reply and records one turn. Never fails for a degraded
   * dependency: the reply says so in {@code reason}.
   */
  @UpdateMethod
  AgentReply sendMessage(UserTurn turn);

  /**
   * Rejects, before anything is recorded, a message on a closed conversation ({@code
   * CONVERSATION_CLOSED}) and an empty, oversized or id-less message ({@code INVALID_MESSAGE}).
   */
  @UpdateValidatorMethod(updateName = "sendMessage")
  void validateSendMessage(UserTurn turn);

  /** Closes the conversation once in-flight messages are answered. Idempotent. */
  @SignalMethod
  void close(CloseRequest request);

  /**
   * Hands the conversation to a person now (the frontend's "talk to a person" button, or an
   * agent). Already escalated: a no-op. Returns the state with the escalation's id.
   */
  @UpdateMethod
  ConversationState escalate(EscalationRequest request);

  /** Rejects an escalation of a closed conversation ({@code CONVERSATION_CLOSED}). */
  @UpdateValidatorMethod(updateName = "escalate")
  void validateEscalate(EscalationRequest request);

  /**
   * Records the customer's rating of a reply; a second negative rating hands the conversation to a
   * person. Returns the state (with the escalation's id when that happened).
   */
  @UpdateMethod
  ConversationState feedback(Feedback feedback);

  /** Rejects feedback on a closed conversation, a turn it does not have, or a bad rating. */
  @UpdateValidatorMethod(updateName = "feedback")
  void validateFeedback(Feedback feedback);

  /** A human agent's reply, from the escalation: it goes into the transcript. */
  @SignalMethod
  void humanReply(AgentAction reply);

  /** A notice for the customer from the escalation (a wait past a deadline, office hours). */
  @SignalMethod
  void escalationNotice(String text);

  /** The escalation ended: the bot takes over again, or the conversation closes. */
  @SignalMethod
  void escalationResolved(Resolution resolution);

  /** Status and recent transcript. */
  @QueryMethod
  ConversationState getState();
}
