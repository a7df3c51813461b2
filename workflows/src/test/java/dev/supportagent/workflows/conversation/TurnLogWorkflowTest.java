package dev.supportagent.workflows.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnRecord;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conversation's writes to the turn log: what each turn records, and that a turn never waits for them. */
class TurnLogWorkflowTest {

  private ConversationTestEnvironment testEnv;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    testEnv = new ConversationTestEnvironment();
    client = testEnv.env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    testEnv.turnLog.release();
    testEnv.close();
  }

  private ConversationWorkflow start() {
    String id = "conversation-" + UUID.randomUUID();
    ConversationWorkflow wf =
        client.newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
    WorkflowClient.start(wf::run, new ConversationStart(id, "customer-7", null, List.of(), 0));
    return wf;
  }

  private AgentReply send(ConversationWorkflow wf, String messageId, String text) {
    return ConversationClient.sendMessage(
        client, WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), new UserTurn(messageId, text));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void should_record_each_answered_turn_with_its_retrieval_model_and_verdicts() throws Exception {
    ConversationWorkflow wf = start();

    AgentReply reply = send(wf, "m-1", "  Can I get a refund?  ");

    await(() -> testEnv.turnLog.records.size() == 1);
    TurnRecord record = testEnv.turnLog.records.get(0);
    assertEquals(WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), record.conversationId());
    assertEquals("turn-1", record.turnId());
    assertEquals("m-1", record.messageId());
    assertEquals("customer-7", record.customerId());
    assertEquals("Can I get a refund?", record.question());
    assertEquals(reply.text(), record.reply());
    assertEquals(List.of("billing/refunds.md"), record.passages().stream().map(TurnRecord.RetrievedPassage::documentId).toList());
    assertEquals(0.91, record.passages().get(0).score());
    assertEquals(reply.citations(), record.citations());
    assertEquals("fake", record.model());
    assertEquals("test-v1", record.promptVersion());
    assertEquals(10, record.tokensIn());
    assertEquals(5, record.tokensOut());
    assertEquals("kb-test", record.kbVersion());
    assertEquals(reply.stagesMs(), record.stagesMs());
    assertFalse(record.blocked());
    // the record's time is the workflow's, a valid instant
    Instant.parse(record.at());
  }

  @Test
  void should_write_turns_in_quick_succession_as_one_batch_once_the_conversation_is_quiet() throws Exception {
    ConversationWorkflow wf = start();

    for (int i = 1; i <= 4; i++) {
      send(wf, "m-" + i, "Can I get a refund? " + i);
    }
    // no turn waits for the log: nothing is written while the turns come
    assertTrue(testEnv.turnLog.records.size() < 4);

    await(() -> testEnv.turnLog.records.size() == 4);
    assertTrue(testEnv.turnLog.batches.get() < 4, "four turns in " + testEnv.turnLog.batches.get() + " writes");
    assertEquals(List.of("turn-1", "turn-2", "turn-3", "turn-4"),
        testEnv.turnLog.records.stream().map(TurnRecord::turnId).toList());
  }

  @Test
  void should_give_each_reply_the_timeline_of_its_steps_in_order() {
    ConversationWorkflow wf = start();

    AgentReply reply = send(wf, "m-1", "Can I get a refund?");

    assertEquals(
        List.of("handler_started", "input_check_done", "retrieval_done", "generation_done", "output_filter_done"),
        List.copyOf(reply.timeline().keySet()));
    long previous = 0;
    for (long at : reply.timeline().values()) {
      assertTrue(at >= previous, reply.timeline().toString());
      previous = at;
    }
  }

  @Test
  void should_record_blocked_and_handed_over_turns_with_their_reasons() throws Exception {
    ConversationWorkflow wf = start();

    send(wf, "m-1", "BLOCKME please");
    send(wf, "m-2", "a human please");

    await(() -> testEnv.turnLog.records.size() == 2);
    TurnRecord blocked = testEnv.turnLog.records.stream().filter(r -> r.turnId().equals("turn-1")).findFirst().orElseThrow();
    assertTrue(blocked.blocked());
    assertEquals("test_rule", blocked.reason());
    assertTrue(blocked.passages().isEmpty());
    TurnRecord handedOver = testEnv.turnLog.records.stream().filter(r -> r.turnId().equals("turn-2")).findFirst().orElseThrow();
    assertTrue(handedOver.escalated());
    assertEquals(wf.getState().escalationId(), handedOver.escalationId());
  }

  @Test
  void should_answer_while_the_turn_log_is_stuck_and_record_once_it_frees() throws Exception {
    ConversationWorkflow wf = start();
    testEnv.turnLog.hold();

    AgentReply first = send(wf, "m-1", "Can I get a refund?");
    AgentReply second = send(wf, "m-2", "And how long does it take?");

    assertEquals("turn-2", second.turnId());
    assertTrue(testEnv.turnLog.records.isEmpty());
    testEnv.turnLog.release();
    await(() -> testEnv.turnLog.records.size() == 2);
    assertEquals(first.text(), testEnv.turnLog.records.stream().filter(r -> r.turnId().equals("turn-1")).findFirst().orElseThrow().reply());
  }

  @Test
  void should_go_on_answering_when_every_turn_log_write_fails() {
    ConversationWorkflow wf = start();
    testEnv.turnLog.failing = true;

    AgentReply first = send(wf, "m-1", "Can I get a refund?");
    AgentReply second = send(wf, "m-2", "Can I get a refund?");
    wf.feedback(new Feedback(first.turnId(), "up", null));

    assertEquals("turn-2", second.turnId());
    assertFalse(second.blocked());
    assertEquals(ConversationStatus.ACTIVE, wf.getState().status());
    assertTrue(testEnv.turnLog.records.isEmpty());
  }

  @Test
  void should_send_the_customers_rating_to_the_turn_log() throws Exception {
    ConversationWorkflow wf = start();
    AgentReply reply = send(wf, "m-1", "Can I get a refund?");

    wf.feedback(new Feedback(reply.turnId(), "down", "not what I asked"));

    await(() -> testEnv.turnLog.feedback.size() == 1);
    TurnFeedback rating = testEnv.turnLog.feedback.get(0);
    assertEquals(reply.turnId(), rating.turnId());
    assertEquals("down", rating.rating());
    assertEquals("not what I asked", rating.comment());
    // the rating knows when its turn was, so it lands in the turn's record
    await(() -> testEnv.turnLog.records.size() == 1);
    assertEquals(testEnv.turnLog.records.get(0).at(), rating.turnAt());
    assertEquals(WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), rating.conversationId());
  }

  @Test
  void should_carry_writes_still_pending_into_the_next_run_when_it_continues_as_new() throws Exception {
    String id = "conversation-" + UUID.randomUUID();
    ConversationWorkflow wf =
        client.newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
    WorkflowClient.start(wf::run, new ConversationStart(id, "customer-7", null, List.of(), 1800, null, 2, null));
    testEnv.turnLog.hold();

    // a run counts its turns from when its start has read the customer's memory, which the first
    // message may overtake: three messages pass two turns per run whichever way
    send(wf, "m-1", "Can I get a refund?");
    send(wf, "m-2", "And how long does it take?");
    send(wf, "m-3", "Thanks");
    // the run continues as new at once, without waiting for the stuck writes
    var describe = client.newUntypedWorkflowStub(id).describe();
    for (int i = 0; i < 50 && describe.getWorkflowExecutionInfo().getFirstRunId().equals(describe.getExecution().getRunId()); i++) {
      Thread.sleep(100);
      describe = client.newUntypedWorkflowStub(id).describe();
    }
    assertFalse(describe.getWorkflowExecutionInfo().getFirstRunId().equals(describe.getExecution().getRunId()),
        () -> client.fetchHistory(id).getEvents().stream().map(e -> e.getEventType().name()).toList().toString());
    testEnv.turnLog.release();

    // the new run wrote them again (the first run's writes may land too: writes are idempotent)
    await(() -> testEnv.turnLog.records.stream().map(TurnRecord::turnId).distinct().count() == 3);
    assertTrue(testEnv.turnLog.records.stream().allMatch(r -> r.conversationId().equals(id)));
  }

  @Test
  void should_wait_for_a_pending_record_before_the_conversation_ends() throws Exception {
    ConversationWorkflow wf = start();
    testEnv.turnLog.hold();
    send(wf, "m-1", "Can I get a refund?");

    wf.close(new CloseRequest("customer_app", null));
    Thread.sleep(200);
    testEnv.turnLog.release();

    client.newUntypedWorkflowStub(WorkflowStub.fromTyped(wf).getExecution().getWorkflowId()).getResult(ConversationResult.class);
    assertEquals(1, testEnv.turnLog.records.size());
  }
}
