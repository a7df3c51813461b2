package dev.supportagent.workflows.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.SupportSearchAttributes;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationWorkflowTest {

  private ConversationTestEnvironment testEnv;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    testEnv = new ConversationTestEnvironment();
    client = testEnv.env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    testEnv.close();
  }

  private String start(long idleSeconds, List<HistoryMessage> history) {
    String id = "conversation-" + UUID.randomUUID();
    ConversationWorkflow wf =
        client.newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
    WorkflowClient.start(wf::run, new ConversationStart(id, "customer-1", null, history, idleSeconds));
    return id;
  }

  private AgentReply send(String id, String messageId, String text) {
    return ConversationClient.sendMessage(client, id, new UserTurn(messageId, text));
  }

  private ConversationState state(String id) {
    return client.newWorkflowStub(ConversationWorkflow.class, id).getState();
  }

  private static String rejectionType(Throwable e) {
    assertInstanceOf(WorkflowUpdateException.class, e);
    return FailureType.of(e).map(FailureType::type).orElse("none");
  }

  @Test
  void should_answer_with_citations_and_record_the_turn_when_a_message_arrives() {
    String id = start(0, null);

    AgentReply reply = send(id, "m-1", "  Can I get a refund?  ");

    assertEquals("turn-1", reply.turnId());
    assertTrue(reply.text().contains("14 days"), reply.text());
    assertEquals("billing/refunds.md", reply.citations().get(0).documentId());
    assertFalse(reply.blocked());
    assertNull(reply.reason());
    assertEquals(List.of("input_check", "retrieval", "generation", "output_filter"), List.copyOf(reply.stagesMs().keySet()));
    ConversationState state = state(id);
    assertEquals(ConversationStatus.ACTIVE, state.status());
    assertEquals(1, state.turnCount());
    assertEquals(List.of("user", "agent"), state.transcript().stream().map(TranscriptEntry::role).toList());
    assertEquals("Can I get a refund?", state.transcript().get(0).text());
    var attributes = client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
    assertEquals(1L, attributes.get(SupportSearchAttributes.TURN_COUNT));
    assertEquals("ACTIVE", attributes.get(SupportSearchAttributes.SUPPORT_STATUS));
    assertEquals("customer-1", attributes.get(SupportSearchAttributes.CUSTOMER_ID));
  }

  @Test
  void should_return_the_first_reply_and_record_one_turn_when_a_message_id_repeats() {
    String id = start(0, null);

    AgentReply first = send(id, "same-id", "Can I get a refund?");
    AgentReply second = send(id, "same-id", "Can I get a refund?");

    assertEquals(first, second);
    assertEquals(1, testEnv.activities.retrievals.get());
    assertEquals(1, state(id).turnCount());
    assertEquals(2, state(id).transcript().size());
  }

  @Test
  void should_reject_empty_text_in_the_validator_without_recording_a_turn() {
    String id = start(0, null);

    WorkflowException e = assertThrows(WorkflowException.class, () -> send(id, "m-1", "   "));

    assertEquals(FailureType.INVALID_MESSAGE.type(), rejectionType(e));
    assertEquals(0, state(id).turnCount());
    assertEquals(0, testEnv.activities.retrievals.get());
  }

  @Test
  void should_reject_oversized_text_in_the_validator() {
    String id = start(0, null);
    String huge = "a".repeat(UserTurn.MAX_TEXT_CHARS + 1);

    WorkflowException e = assertThrows(WorkflowException.class, () -> send(id, "m-1", huge));

    assertEquals(FailureType.INVALID_MESSAGE.type(), rejectionType(e));
    assertEquals(0, state(id).turnCount());
  }

  @Test
  void should_reject_a_message_without_an_id_in_the_validator() {
    String id = start(0, null);

    WorkflowException e =
        assertThrows(
            WorkflowException.class,
            () -> client.newWorkflowStub(ConversationWorkflow.class, id).sendMessage(new UserTurn(null, "hi")));

    assertEquals(FailureType.INVALID_MESSAGE.type(), rejectionType(e));
  }

  @Test
  void should_refuse_messages_once_the_conversation_is_closed() {
    String id = start(0, null);
    send(id, "m-1", "Can I get a refund?");

    client.newWorkflowStub(ConversationWorkflow.class, id).close(new CloseRequest("customer_app", "done"));
    ConversationResult result = client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);

    assertEquals("closed_by_customer_app", result.closedReason());
    assertEquals(1, result.turnCount());
    assertEquals(ConversationStatus.CLOSED, state(id).status());
    assertEquals("CLOSED", client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes()
        .get(SupportSearchAttributes.SUPPORT_STATUS));
    assertThrows(WorkflowException.class, () -> send(id, "m-2", "another question"));
    assertEquals(1, testEnv.activities.retrievals.get());
  }

  @Test
  void should_close_after_the_idle_timeout_and_not_before() {
    String id = start(30 * 60, null);
    WorkflowStub stub = client.newUntypedWorkflowStub(id);

    testEnv.env.sleep(Duration.ofMinutes(20));
    send(id, "m-1", "Can I get a refund?");
    testEnv.env.sleep(Duration.ofMinutes(20));
    assertEquals(ConversationStatus.ACTIVE, state(id).status());

    testEnv.env.sleep(Duration.ofMinutes(15));
    ConversationResult result = stub.getResult(ConversationResult.class);
    assertEquals("idle_timeout", result.closedReason());
    assertEquals(ConversationStatus.CLOSED, state(id).status());
    List<TranscriptEntry> transcript = state(id).transcript();
    TranscriptEntry closing = transcript.get(transcript.size() - 1);
    assertEquals("system", closing.role());
    assertTrue(closing.text().contains("30 minutes without a message") && closing.text().contains("Can I get a refund?"),
        "a closing summary: " + closing.text());
  }

  @Test
  void should_refuse_politely_without_retrieval_when_the_input_check_blocks() {
    String id = start(0, null);

    AgentReply reply = send(id, "m-1", "BLOCKME please");

    assertTrue(reply.blocked());
    assertEquals("test_rule", reply.reason());
    assertEquals(ConversationWorkflowImpl.BLOCKED_TEXT, reply.text());
    assertEquals(0, testEnv.activities.retrievals.get());
  }

  @Test
  void should_reply_that_it_is_unavailable_when_retrieval_fails_and_keep_the_conversation_open() {
    String id = start(0, null);
    testEnv.activities.retrievalFails = true;

    AgentReply reply = send(id, "m-1", "Can I get a refund?");

    assertEquals("temporarily_unavailable", reply.reason());
    assertEquals(ConversationWorkflowImpl.UNAVAILABLE_TEXT, reply.text());
    testEnv.activities.retrievalFails = false;
    assertNull(send(id, "m-2", "Can I get a refund?").reason());
    assertEquals(2, state(id).turnCount());
  }

  @Test
  void should_pass_imported_history_of_both_roles_to_retrieval_as_context() {
    String id = start(0, List.of(new HistoryMessage("user", "I bought a Lumora hub"), new HistoryMessage("agent", "Great!")));

    send(id, "m-1", "can I return it?");

    assertEquals(List.of("I bought a Lumora hub", "Great!"), testEnv.activities.lastContext);
    assertEquals("imported-1", state(id).transcript().get(0).turnId());
  }

  /** The start of a later run of a new conversation, as continue-as-new makes it. */
  private static ConversationStart laterRun(ConversationCarry carry) {
    String id = "conversation-" + UUID.randomUUID();
    return new ConversationStart(id, "customer-1", null, List.of(), 1800, null, 0, carry);
  }

  @Test
  void should_number_a_message_in_a_runs_first_task_after_the_carried_turns_and_answer_a_carried_one_again() {
    String earlier = start(1800, List.of());
    AgentReply answered = send(earlier, "m-3", "refund?");
    ConversationCarry carry =
        new ConversationCarry(3, 0, 0, null, state(earlier).transcript(), java.util.Map.of("m-3", answered), List.of(), List.of());

    AgentReply next = testEnv.sendInFirstTask(laterRun(carry), new UserTurn("m-4", "and for the hub?"));
    AgentReply again = testEnv.sendInFirstTask(laterRun(carry), new UserTurn("m-3", "refund?"));

    assertEquals("turn-4", next.turnId(), "numbered after the three carried turns");
    assertEquals(answered.text(), again.text(), "a carried message id is answered from the carried reply");
    assertEquals(answered.turnId(), again.turnId());
  }

  @Test
  void should_continue_as_new_after_its_turns_per_run_carrying_turns_transcript_and_replies() {
    String id = "conversation-" + UUID.randomUUID();
    ConversationWorkflow wf =
        client.newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
    WorkflowClient.start(wf::run, new ConversationStart(id, "customer-1", null, List.of(), 1800, null, 2, null));

    AgentReply first = send(id, "m-1", "refund?");
    for (int i = 2; i <= 5; i++) {
      send(id, "m-" + i, "question " + i);
    }

    // the run continues as new once its turns' log records are written (messages that arrive
    // meanwhile are answered first)
    var describe = client.newUntypedWorkflowStub(id).describe();
    for (int i = 0; i < 50 && describe.getWorkflowExecutionInfo().getFirstRunId().equals(describe.getExecution().getRunId()); i++) {
      sleepQuietly(100);
      describe = client.newUntypedWorkflowStub(id).describe();
    }
    assertNotEquals(describe.getWorkflowExecutionInfo().getFirstRunId(), describe.getExecution().getRunId(),
        "a later run answers");
    // a query may reach the run that just continued as new for a moment: ask the latest one again
    ConversationState s = state(id);
    for (int i = 0; i < 20 && s.turnCount() != 5; i++) {
      sleepQuietly(100);
      s = state(id);
    }
    assertEquals(5, s.turnCount());
    assertEquals(10, s.transcript().size(), "both sides of every turn carried over");
    assertEquals(first.text(), send(id, "m-1", "refund?").text(), "a retried message from an earlier run");
    ConversationState after = state(id);
    for (int i = 0; i < 20 && after.turnCount() != 5; i++) {
      sleepQuietly(100);
      after = state(id);
    }
    assertEquals(5, after.turnCount(), "and not answered twice");
  }

  @Test
  void should_remember_a_closed_conversation_and_give_its_summary_to_the_next_one() {
    String first = start(1800, List.of());
    send(first, "m-1", "Can I get a refund on my yearly plan?");
    client.newWorkflowStub(ConversationWorkflow.class, first).close(new CloseRequest("customer_app", null));
    client.newUntypedWorkflowStub(first).getResult(ConversationResult.class);

    String second = start(1800, List.of());
    send(second, "m-2", "and the hub?");

    List<String> context = testEnv.activities.lastAnswerRequest.customerContext();
    assertEquals(1, context.size());
    assertTrue(context.get(0).contains("Can I get a refund on my yearly plan?"), context.get(0));
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
