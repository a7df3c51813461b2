package dev.supportagent.workflows.conversation;

import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;

/** How callers talk to a conversation, so the update's name and id rules live in one place. */
public final class ConversationClient {

  private ConversationClient() {}

  /**
   * Sends a message as the {@code sendMessage} update with the message id as update id, and waits
   * for the reply. Sending the same id again returns the first reply. Throws {@code
   * WorkflowUpdateException} when the validator rejects it (see {@code FailureType.of}).
   */
  public static AgentReply sendMessage(WorkflowClient client, String conversationId, UserTurn turn) {
    return start(client, conversationId, turn, WorkflowUpdateStage.COMPLETED).getResult();
  }

  private static WorkflowUpdateHandle<AgentReply> start(
      WorkflowClient client, String conversationId, UserTurn turn, WorkflowUpdateStage stage) {
    return client
        .newUntypedWorkflowStub(conversationId)
        .startUpdate(
            UpdateOptions.newBuilder(AgentReply.class)
                .setUpdateName("sendMessage")
                .setUpdateId(turn.messageId())
                .setWaitForStage(stage)
                .build(),
            turn);
  }
}
