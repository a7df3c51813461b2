package dev.supportagent.worker;

import dev.supportagent.telemetry.TemporalTracing;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import dev.supportagent.workflows.escalation.EscalationActivities;
import dev.supportagent.workflows.escalation.EscalationWorkflowImpl;
import dev.supportagent.workflows.memory.MemoryActivities;
import dev.supportagent.workflows.guard.GuardActivities;
import dev.supportagent.workflows.ingest.IngestActivities;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflowImpl;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.turnlog.TurnLogActivities;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/** Registers workflows and activities on their task queues; used by the worker and the tests. */
public final class SupportWorkers {

  private SupportWorkers() {}

  /** The activity implementations a worker process serves. */
  public record Activities(
      GuardActivities guard,
      RetrievalActivities retrieval,
      AnswerActivities answer,
      IngestActivities ingest,
      EscalationActivities escalation,
      MemoryActivities memory,
      TurnLogActivities turnLog) {}

  /** The worker factory of {@link #newFactory(WorkflowClient, OpenTelemetry)}, with no spans recorded. */
  public static WorkerFactory newFactory(WorkflowClient client) {
    return newFactory(client, OpenTelemetry.noop());
  }

  /**
   * The worker factory of a worker process: it heartbeats every running activity that has a
   * heartbeat timeout ({@link LivenessHeartbeats}), which the ingestion steps' timeouts rely on, and
   * traces workflow handlers and activities on {@code telemetry}, continuing the trace that {@code
   * client}'s propagator ({@link TemporalTracing#propagateTraces}) carries.
   */
  public static WorkerFactory newFactory(WorkflowClient client, OpenTelemetry telemetry) {
    return WorkerFactory.newInstance(client, factoryOptions(telemetry));
  }

  static WorkerFactoryOptions factoryOptions(OpenTelemetry telemetry) {
    return WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(new LivenessHeartbeats(), TemporalTracing.workerInterceptor(telemetry))
        .build();
  }

  public static void register(WorkerFactory factory, Activities activities, int llmConcurrency) {
    // A turn's stages run one after another as local activities of the worker that runs the
    // conversation, so its local activity slots are the turns it runs at once: capped, like the
    // model calls they include, at SUPPORT_LLM_CONCURRENCY.
    Worker conversations =
        factory.newWorker(
            TaskQueues.CONVERSATIONS,
            WorkerOptions.newBuilder().setMaxConcurrentLocalActivityExecutionSize(llmConcurrency).build());
    conversations.registerWorkflowImplementationTypes(ConversationWorkflowImpl.class, EscalationWorkflowImpl.class);
    conversations.registerActivitiesImplementations(
        activities.guard(), activities.retrieval(), activities.escalation(), activities.memory(),
        activities.turnLog(), activities.answer());

    // model calls of turns that conversations begun before the version turn-in-one-task still make
    Worker llm =
        factory.newWorker(
            TaskQueues.LLM,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(llmConcurrency)
                .build());
    llm.registerActivitiesImplementations(activities.answer());

    registerIngestion(factory, TaskQueues.INGEST, activities.ingest());
  }

  /**
   * The ingestion workflow and its activities on {@code taskQueue}, where the workflow schedules
   * them: {@code support-ingest} in {@link #register}, a queue of its own in a test.
   */
  public static void registerIngestion(WorkerFactory factory, String taskQueue, IngestActivities activities) {
    // CPU-bound embedding: a few documents at a time, so conversations keep their share
    Worker ingest =
        factory.newWorker(
            taskQueue,
            WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(INGEST_CONCURRENCY).build());
    ingest.registerWorkflowImplementationTypes(KnowledgeIngestionWorkflowImpl.class);
    ingest.registerActivitiesImplementations(activities);
  }

  static final int INGEST_CONCURRENCY = 2;
}
