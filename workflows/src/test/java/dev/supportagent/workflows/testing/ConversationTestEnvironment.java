package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * An in-memory Temporal with the support search attributes registered and workers on the
 * conversation and model queues, serving {@link FakeActivities}.
 */
public final class ConversationTestEnvironment implements AutoCloseable {

  public final TestWorkflowEnvironment env;
  public final FakeActivities activities = new FakeActivities();

  public ConversationTestEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute("SupportStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("EscalationReason", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("TurnCount", IndexedValueType.INDEXED_VALUE_TYPE_INT);
    Worker conversations = env.newWorker(TaskQueues.CONVERSATIONS);
    conversations.registerWorkflowImplementationTypes(ConversationWorkflowImpl.class);
    conversations.registerActivitiesImplementations(activities.guard, activities.retrieval);
    env.newWorker(TaskQueues.LLM).registerActivitiesImplementations(activities.answer);
    env.start();
  }

  @Override
  public void close() {
    env.close();
  }
}
