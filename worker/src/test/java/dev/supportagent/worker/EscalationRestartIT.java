package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.escalation.RedisCustomerMemory;
import dev.supportagent.activities.escalation.RedisEscalationActivities;
import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.guard.GuardActivitiesImpl;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.api.ApiMain;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationState;
import dev.supportagent.workflows.conversation.ConversationStatus;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import dev.supportagent.workflows.conversation.EscalationRequest;
import dev.supportagent.workflows.escalation.AgentAction;
import dev.supportagent.workflows.escalation.EscalationKeys;
import dev.supportagent.workflows.escalation.EscalationSla;
import dev.supportagent.workflows.escalation.EscalationView;
import dev.supportagent.workflows.escalation.EscalationWorkflow;
import dev.supportagent.workflows.escalation.EscalationWorkflowImpl;
import dev.supportagent.workflows.escalation.Resolution;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A worker dies while an escalation waits for a person; a new worker picks it up on the real
 * Temporal dev server and Redis: the service-level timer still fires, and the agent's claim, reply
 * and resolve still reach the conversation.
 */
class EscalationRestartIT {

  static final EscalationSla SLA = new EscalationSla(4, 3600, null);

  /** A worker on a queue of its own, serving the conversation and escalation workflows. */
  record RunningWorker(WorkflowServiceStubs service, WorkerFactory factory) {
    static RunningWorker start(String queue, RedissonClient redis, Object... moreActivities) {
      WorkflowServiceStubs service = connect();
      WorkflowClient client = client(service);
      WorkerFactory factory = SupportWorkers.newFactory(client);
      Worker worker = factory.newWorker(queue);
      worker.registerWorkflowImplementationTypes(ConversationWorkflowImpl.class, EscalationWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new GuardActivitiesImpl(
              InputGuard.builder(InputGuardConfig.defaults()).embedder(text -> new float[384]).build(),
              new OutputFilter(), new StageTimer(OpenTelemetry.noop())),
          (dev.supportagent.workflows.retrieval.RetrievalActivities)
              r -> new RetrievalResult(List.of(), false, "none", 0),
          new RedisEscalationActivities(redis, new ObjectMapper(), null),
          new RedisCustomerMemory(redis));
      if (moreActivities.length > 0) {
        worker.registerActivitiesImplementations(moreActivities);
      }
      factory.start();
      return new RunningWorker(service, factory);
    }

    /** As abruptly as a crash: connection first, then the pollers. */
    void kill() {
      service.shutdownNow();
      factory.shutdownNow();
    }
  }

  /** A connection of its own to the integration tests' Temporal. */
  static WorkflowServiceStubs connect() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(IntegrationEnv.temporalAddress()).build());
  }

  static WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  static boolean eventually(BooleanSupplier condition, int seconds) throws InterruptedException {
    for (int i = 0; i < seconds * 10 && !condition.getAsBoolean(); i++) {
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  @Test
  void should_keep_the_timers_and_the_agents_work_across_a_worker_restart() throws Exception {
    RedissonClient redis = ApiMain.redis(IntegrationEnv.redisUrl());
    String queue = "it-escalation-" + UUID.randomUUID();
    WorkflowServiceStubs clientService = connect();
    WorkflowClient client = client(clientService);
    RunningWorker first = RunningWorker.start(queue, redis);
    RunningWorker second = null;
    try {
      String id = "conversation-" + UUID.randomUUID();
      ConversationWorkflow conversation =
          client.newWorkflowStub(
              ConversationWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
      WorkflowClient.start(conversation::run, new ConversationStart(id, "restart-customer", null, List.of(), 1800, SLA));
      ConversationState escalated =
          client.newWorkflowStub(ConversationWorkflow.class, id).escalate(new EscalationRequest("customer_app", null));
      String escalationId = escalated.escalationId();
      assertTrue(eventually(() -> redis.getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE).contains(escalationId), 10),
          "the ticket reached the real queue");

      first.kill();
      Thread.sleep(SLA.firstResponseSeconds() * 1000L + 1000); // the deadline passes with no worker
      second = RunningWorker.start(queue, redis);

      EscalationWorkflow escalation = client.newWorkflowStub(EscalationWorkflow.class, escalationId);
      assertTrue(eventually(() -> escalation.getView().breaches().contains("first_response"), 30),
          "the timer set before the crash fired on the new worker");
      assertEquals(4, escalation.getView().priority(), "raised from 3 by the breach");
      escalation.claim(new AgentAction("ana", null));
      escalation.reply(new AgentAction("ana", "Sorry for the wait, Ana here."));
      escalation.resolve(new Resolution("ana", "answered", true));
      client.newUntypedWorkflowStub(escalationId).getResult(EscalationView.class);

      ConversationState after = client.newWorkflowStub(ConversationWorkflow.class, id).getState();
      assertEquals(ConversationStatus.ACTIVE, after.status(), "handed back");
      assertTrue(after.transcript().stream().anyMatch(e -> e.role().equals("human_agent")
          && e.text().equals("Sorry for the wait, Ana here.")));
      assertTrue(after.transcript().stream().anyMatch(e -> e.role().equals("system")
          && e.text().equals(EscalationWorkflowImpl.WAIT_TEXT)));
      assertFalse(redis.getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE).contains(escalationId),
          "retired from the queue");
      client.newWorkflowStub(ConversationWorkflow.class, id).close(null);
    } finally {
      if (second != null) {
        second.kill();
      }
      clientService.shutdown();
      redis.shutdown();
    }
  }
}
