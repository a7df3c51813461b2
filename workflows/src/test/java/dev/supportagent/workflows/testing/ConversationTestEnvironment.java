package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import dev.supportagent.workflows.conversation.UserTurn;
import dev.supportagent.workflows.escalation.EscalationWorkflowImpl;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * An in-memory Temporal with the support search attributes registered and workers on the
 * conversation, model and ingestion queues, serving {@link FakeActivities} and {@link
 * FakeIngestActivities}.
 */
public final class ConversationTestEnvironment implements AutoCloseable {

  public final TestWorkflowEnvironment env;
  public final FakeActivities activities = new FakeActivities();
  public final FakeIngestActivities ingest = new FakeIngestActivities();
  public final FakeEscalationActivities escalations = new FakeEscalationActivities();
  public final FakeMemoryActivities memory = new FakeMemoryActivities();
  public final FakeTurnLog turnLog = new FakeTurnLog();

  public ConversationTestEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute("SupportStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("EscalationReason", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("TurnCount", IndexedValueType.INDEXED_VALUE_TYPE_INT);
    Worker conversations = env.newWorker(TaskQueues.CONVERSATIONS);
    conversations.registerWorkflowImplementationTypes(ConversationWorkflowImpl.class, EscalationWorkflowImpl.class);
    conversations.registerActivitiesImplementations(
        activities.guard, activities.retrieval, escalations, memory, turnLog, activities.answer);
    env.newWorker(TaskQueues.LLM).registerActivitiesImplementations(activities.answer);
    Worker ingestion = env.newWorker(TaskQueues.INGEST);
    ingestion.registerWorkflowImplementationTypes(KnowledgeIngestionWorkflowImpl.class);
    ingestion.registerActivitiesImplementations(ingest);
    env.start();
  }

  /**
   * Starts the conversation and delivers {@code turn} in its first workflow task (update with
   * start), as a message sent while the previous run continued as new reaches the next run.
   */
  public AgentReply sendInFirstTask(ConversationStart start, UserTurn turn) {
    ConversationWorkflow wf =
        env.getWorkflowClient().newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(start.conversationId())
                .setTaskQueue(TaskQueues.CONVERSATIONS)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .build());
    return WorkflowClient.executeUpdateWithStart(
        wf::sendMessage, turn,
        UpdateOptions.<AgentReply>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
        new WithStartWorkflowOperation<>(wf::run, start));
  }

  @Override
  public void close() {
    env.close();
  }
}
