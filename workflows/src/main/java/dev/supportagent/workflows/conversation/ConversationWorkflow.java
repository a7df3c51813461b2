package dev.supportagent.workflows.conversation;

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

  /** Status and recent transcript. */
  @QueryMethod
  ConversationState getState();
}
