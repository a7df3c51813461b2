package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.api.ApiMain;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.CloseRequest;
import dev.supportagent.workflows.conversation.ConversationClient;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationState;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.conversation.UserTurn;
import dev.supportagent.workflows.testing.IntegrationEnv;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnLogActivities;
import dev.supportagent.workflows.turnlog.TurnLogBatch;
import dev.supportagent.workflows.turnlog.TurnRecord;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * A worker dies in the middle of a turn, while the answer (a local activity of the turn's workflow
 * task) is being written; another worker takes the conversation over on the real Temporal dev
 * server. The customer's message is still answered, once: one reply, one turn, and the same reply
 * for the message sent again.
 */
class TurnRestartIT {

  /** An answerer that stops in the middle of its answer until the test lets it go. */
  static final class StuckAnswerer implements AnswerActivities {
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public GeneratedAnswer generate(dev.supportagent.workflows.answer.AnswerRequest request) {
      entered.countDown();
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the first worker's answer never finishes");
    }
  }

  /** An answerer that answers at once, counting its answers. */
  static final class QuickAnswerer implements AnswerActivities {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public GeneratedAnswer generate(dev.supportagent.workflows.answer.AnswerRequest request) {
      calls.incrementAndGet();
      return new GeneratedAnswer("Answered by the second worker.", List.of(), false, "test", "offline", "v1", 0, 0, 0, 1);
    }
  }

  /** A turn log that keeps nothing. */
  static final class NoTurnLog implements TurnLogActivities {
    @Override
    public void record(TurnRecord turn) {}

    @Override
    public void recordFeedback(TurnFeedback feedback) {}

    @Override
    public void recordAll(TurnLogBatch batch) {}
  }

  @Test
  void should_answer_a_turn_once_when_its_worker_dies_mid_answer() throws Exception {
    RedissonClient redis = ApiMain.redis(IntegrationEnv.redisUrl());
    String queue = "it-turn-restart-" + UUID.randomUUID();
    WorkflowServiceStubs clientService = EscalationRestartIT.connect();
    WorkflowClient client = EscalationRestartIT.client(clientService);
    StuckAnswerer stuck = new StuckAnswerer();
    QuickAnswerer quick = new QuickAnswerer();
    EscalationRestartIT.RunningWorker first = EscalationRestartIT.RunningWorker.start(queue, redis, stuck, new NoTurnLog());
    EscalationRestartIT.RunningWorker second = null;
    try {
      String id = "conversation-" + UUID.randomUUID();
      ConversationWorkflow conversation =
          client.newWorkflowStub(
              ConversationWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
      WorkflowClient.start(conversation::run, new ConversationStart(id, "turn-restart-customer", null, List.of(), 1800));
      UserTurn turn = new UserTurn("m-1", "How do I reset my password?");
      CompletableFuture<AgentReply> reply =
          CompletableFuture.supplyAsync(() -> ConversationClient.sendMessage(client, id, turn));

      assertTrue(stuck.entered.await(30, TimeUnit.SECONDS), "the first worker started answering");
      first.kill();
      second = EscalationRestartIT.RunningWorker.start(queue, redis, quick, new NoTurnLog());

      AgentReply answered = reply.get(60, TimeUnit.SECONDS);
      assertEquals("turn-1", answered.turnId());
      assertEquals("Answered by the second worker.", answered.text());
      assertEquals(1, quick.calls.get(), "answered once, by the second worker");
      ConversationState state = client.newWorkflowStub(ConversationWorkflow.class, id).getState();
      assertEquals(1, state.turnCount());
      assertEquals(List.of("user", "agent"), state.transcript().stream().map(e -> e.role()).toList());
      AgentReply again = ConversationClient.sendMessage(client, id, turn);
      assertEquals(answered, again, "the message sent again gets the same reply, no new turn");
      assertEquals(1, quick.calls.get());
      client.newWorkflowStub(ConversationWorkflow.class, id).close(new CloseRequest("customer_app", null));
    } finally {
      if (second != null) {
        second.kill();
      }
      first.kill();
      clientService.shutdownNow();
      redis.shutdown();
    }
  }
}
