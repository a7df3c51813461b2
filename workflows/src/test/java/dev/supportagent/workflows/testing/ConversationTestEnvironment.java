package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import dev.supportagent.workflows.escalation.EscalationWorkflowImpl;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
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
    conversations.registerActivitiesImplementations(activities.guard, activities.retrieval, escalations, memory, turnLog);
    env.newWorker(TaskQueues.LLM).registerActivitiesImplementations(activities.answer);
    Worker ingestion = env.newWorker(TaskQueues.INGEST);
    ingestion.registerWorkflowImplementationTypes(KnowledgeIngestionWorkflowImpl.class);
    ingestion.registerActivitiesImplementations(ingest);
    env.start();
  }

  @Override
  public void close() {
    env.close();
  }
}
