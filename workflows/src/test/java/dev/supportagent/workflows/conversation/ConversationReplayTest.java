package dev.supportagent.workflows.conversation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.escalation.AgentAction;
import dev.supportagent.workflows.escalation.EscalationView;
import dev.supportagent.workflows.escalation.EscalationWorkflow;
import dev.supportagent.workflows.escalation.Resolution;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import dev.supportagent.workflows.testing.Histories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Replays conversations against the current {@link ConversationWorkflowImpl}: see {@link Histories}. */
class ConversationReplayTest {

  @Test
  void should_replay_a_conversation_recorded_with_the_current_code() throws Exception {
    Histories.replayAndMaybeRecord(recordConversation(), ConversationWorkflowImpl.class);
  }

  @Test
  void should_replay_every_committed_history() throws Exception {
    Histories.replayCommitted("conversation-", ConversationWorkflowImpl.class);
  }

  @Test
  void should_replay_a_conversation_that_continued_as_new_with_turn_log_writes_pending() throws Exception {
    try (ConversationTestEnvironment testEnv = new ConversationTestEnvironment()) {
      WorkflowClient client = testEnv.env.getWorkflowClient();
      String id = "conversation-" + UUID.randomUUID();
      ConversationWorkflow wf =
          client.newWorkflowStub(
              ConversationWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
      WorkflowClient.start(wf::run, new ConversationStart(id, "customer-1", null, List.of(), 1800, null, 2, null));
      // the writes hang, so the first run hands them to the next one in its carry
      testEnv.turnLog.hold();
      for (String text : List.of("Can I get a refund?", "and for the hub?", "thanks", "one more")) {
        ConversationClient.sendMessage(client, id, new UserTurn(UUID.randomUUID().toString(), text));
      }
      var execution = client.newUntypedWorkflowStub(id).describe();
      String firstRun = execution.getWorkflowExecutionInfo().getFirstRunId();
      assertTrue(!firstRun.equals(execution.getExecution().getRunId()), "the conversation continued as new");
      testEnv.turnLog.release();
      wf.close(new CloseRequest("customer_app", null));
      client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);
      WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id, firstRun), ConversationWorkflowImpl.class);
      WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), ConversationWorkflowImpl.class);
    }
  }

  @Test
  void should_replay_a_run_whose_first_task_carries_a_message() throws Exception {
    try (ConversationTestEnvironment testEnv = new ConversationTestEnvironment()) {
      WorkflowClient client = testEnv.env.getWorkflowClient();
      String id = "conversation-" + UUID.randomUUID();
      // a later run, as continue-as-new starts it, whose first task already holds a message
      ConversationCarry carry = new ConversationCarry(3, 0, 0, "Refunds, then the hub.", List.of(), null, null, null);
      testEnv.sendInFirstTask(
          new ConversationStart(id, "customer-1", null, List.of(), 1800, null, 0, carry),
          new UserTurn("m-4", "and for the hub?"));
      ConversationWorkflow wf = client.newWorkflowStub(ConversationWorkflow.class, id);
      wf.close(new CloseRequest("customer_app", null));
      client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);
      Histories.replayAndMaybeRecord(client.fetchHistory(id), ConversationWorkflowImpl.class);
    }
  }

  private static WorkflowExecutionHistory recordConversation() throws IOException {
    try (ConversationTestEnvironment testEnv = new ConversationTestEnvironment()) {
      WorkflowClient client = testEnv.env.getWorkflowClient();
      String id = "conversation-" + UUID.randomUUID();
      ConversationWorkflow wf =
          client.newWorkflowStub(
              ConversationWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
      WorkflowClient.start(
          wf::run,
          new ConversationStart(id, "customer-1", null, List.of(new HistoryMessage("user", "hello")), 0));
      for (String text : List.of("Can I get a refund?", "BLOCKME now", "and for the hub?")) {
        ConversationClient.sendMessage(client, id, new UserTurn(UUID.randomUUID().toString(), text));
      }
      // a rating goes to the turn log too
      wf.feedback(new Feedback("turn-1", "up", null));
      // a hand-over to a person and back
      ConversationClient.sendMessage(client, id, new UserTurn(UUID.randomUUID().toString(), "a human please"));
      String escalationId = wf.getState().escalationId();
      EscalationWorkflow escalation = client.newWorkflowStub(EscalationWorkflow.class, escalationId);
      escalation.claim(new AgentAction("ana", null));
      escalation.reply(new AgentAction("ana", "Hi, Ana here."));
      escalation.resolve(new Resolution("ana", "answered", true));
      client.newUntypedWorkflowStub(escalationId).getResult(EscalationView.class);
      wf.close(new CloseRequest("customer_app", null));
      ConversationResult result = client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);
      assertTrue(result.turnCount() == 4);
      return client.fetchHistory(id);
    }
  }
}
