package dev.supportagent.workflows.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.CloseRequest;
import dev.supportagent.workflows.conversation.ConversationClient;
import dev.supportagent.workflows.conversation.ConversationResult;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationState;
import dev.supportagent.workflows.conversation.ConversationStatus;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.conversation.EscalationRequest;
import dev.supportagent.workflows.conversation.Feedback;
import dev.supportagent.workflows.conversation.TranscriptEntry;
import dev.supportagent.workflows.conversation.UserTurn;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-over to people, with time skipping for the service-level timers. */
class EscalationWorkflowTest {

  static final EscalationSla SLA = new EscalationSla(600, 3600, null);

  ConversationTestEnvironment testEnv;
  WorkflowClient client;

  @BeforeEach
  void setUp() {
    testEnv = new ConversationTestEnvironment();
    client = testEnv.env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    testEnv.close();
  }

  String start() {
    String id = "conversation-" + UUID.randomUUID();
    ConversationWorkflow wf =
        client.newWorkflowStub(
            ConversationWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
    WorkflowClient.start(wf::run, new ConversationStart(id, "customer-7", null, List.of(), 1800, SLA));
    return id;
  }

  AgentReply send(String id, String text) {
    return ConversationClient.sendMessage(client, id, new UserTurn(UUID.randomUUID().toString(), text));
  }

  ConversationState state(String id) {
    return client.newWorkflowStub(ConversationWorkflow.class, id).getState();
  }

  EscalationWorkflow escalation(String id) {
    return client.newWorkflowStub(EscalationWorkflow.class, id);
  }

  static FailureType rejection(Throwable e) {
    return FailureType.of(e).orElseThrow(() -> new AssertionError("no failure type in " + e));
  }

  /** A conversation with one answered question, then a request for a person. */
  String escalated() {
    String id = start();
    send(id, "Can I get a refund?");
    AgentReply handoff = send(id, "I want to talk to a human");
    assertTrue(handoff.escalated());
    assertEquals("customer_request", handoff.reason());
    return id;
  }

  /** Waits, a few seconds at most, for the escalation's activities to catch up. */
  static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  TranscriptEntry lastEntry(String id) {
    List<TranscriptEntry> t = state(id).transcript();
    return t.get(t.size() - 1);
  }

  @Test
  void should_hand_over_when_the_customer_asks_for_a_person_with_a_ticket_for_the_agents() throws Exception {
    String id = escalated();

    ConversationState s = state(id);
    assertTrue(eventually(() -> testEnv.escalations.queue.containsKey(s.escalationId())));
    assertEquals(ConversationStatus.ESCALATED, s.status());
    assertEquals("escalation-" + id + "-1", s.escalationId());
    EscalationView view = testEnv.escalations.queue.get(s.escalationId());
    assertNotNull(view, "the ticket is in the queue");
    assertEquals(EscalationStatus.OPEN, view.status());
    assertEquals("customer-7", view.ticket().customerId());
    assertEquals(List.of("billing/refunds.md"), view.ticket().documents(), "what the bot used");
    assertTrue(view.ticket().summary().contains("Can I get a refund?"), view.ticket().summary());
    assertTrue(eventually(() -> testEnv.escalations.notifications.contains("created " + s.escalationId())));

    // while escalated, messages go to the person, not the model
    int generations = testEnv.activities.generations.get();
    AgentReply waiting = send(id, "Are you there?");
    assertTrue(waiting.escalated());
    assertEquals(generations, testEnv.activities.generations.get(), "no model call");
  }

  @Test
  void should_refuse_a_second_claim_and_a_reply_by_another_agent_then_relay_the_claimants_reply() {
    String id = escalated();
    String escalationId = state(id).escalationId();

    EscalationView claimed = escalation(escalationId).claim(new AgentAction("ana", null));
    assertEquals(EscalationStatus.CLAIMED, claimed.status());
    assertEquals("ana", claimed.agentId());
    assertEquals("ana", escalation(escalationId).claim(new AgentAction("ana", null)).agentId(), "idempotent");

    Exception second = assertThrows(Exception.class, () -> escalation(escalationId).claim(new AgentAction("bo", null)));
    assertEquals(FailureType.ESCALATION_CLAIMED, rejection(second));
    Exception foreign = assertThrows(Exception.class, () -> escalation(escalationId).reply(new AgentAction("bo", "hi")));
    assertEquals(FailureType.NOT_CLAIMING_AGENT, rejection(foreign));

    escalation(escalationId).reply(new AgentAction("ana", "Hi, I'm Ana. I've refunded your order."));

    TranscriptEntry last = lastEntry(id);
    assertEquals("human_agent", last.role());
    assertEquals("Hi, I'm Ana. I've refunded your order.", last.text());
    assertTrue(escalation(escalationId).getView().firstResponseAtMillis() > 0);
  }

  @Test
  void should_hand_back_to_the_bot_on_resolve_with_hand_back() {
    String id = escalated();
    String escalationId = state(id).escalationId();
    escalation(escalationId).claim(new AgentAction("ana", null));

    EscalationView resolved = escalation(escalationId).resolve(new Resolution("ana", "refunded", true));

    assertEquals(EscalationStatus.RESOLVED, resolved.status());
    client.newUntypedWorkflowStub(escalationId).getResult(EscalationView.class);
    assertEquals(ConversationStatus.ACTIVE, state(id).status());
    assertFalse(testEnv.escalations.queue.containsKey(escalationId), "out of the queue");
    AgentReply bot = send(id, "Thanks! And how long do refunds take?");
    assertFalse(bot.escalated());
    assertNotNull(bot.model(), "the bot answers again");
  }

  @Test
  void should_close_the_conversation_on_resolve_without_hand_back() {
    String id = escalated();
    String escalationId = state(id).escalationId();
    escalation(escalationId).claim(new AgentAction("ana", null));

    escalation(escalationId).resolve(new Resolution("ana", "done", false));

    assertEquals("resolved_by_agent", client.newUntypedWorkflowStub(id).getResult(ConversationResult.class).closedReason());
  }

  @Test
  void should_raise_priority_notify_and_tell_the_customer_on_each_missed_deadline() throws Exception {
    String id = escalated();
    String escalationId = state(id).escalationId();
    assertTrue(eventually(() -> testEnv.escalations.queue.containsKey(escalationId)));
    int before = testEnv.escalations.queue.get(escalationId).priority();

    testEnv.env.sleep(Duration.ofSeconds(SLA.firstResponseSeconds() + 5));

    EscalationView afterFirst = escalation(escalationId).getView();
    assertEquals(List.of("first_response"), afterFirst.breaches());
    assertEquals(before + 1, afterFirst.priority());
    assertEquals(before + 1, testEnv.escalations.queue.get(escalationId).priority(), "the queue re-sorts it");
    assertTrue(testEnv.escalations.notifications.contains("first_response_breached " + escalationId));
    assertEquals("system", lastEntry(id).role());
    assertEquals(EscalationWorkflowImpl.WAIT_TEXT, lastEntry(id).text());

    testEnv.env.sleep(Duration.ofSeconds(SLA.resolutionSeconds()));

    EscalationView afterBoth = escalation(escalationId).getView();
    assertEquals(List.of("first_response", "resolution"), afterBoth.breaches());
    assertEquals(before + 2, afterBoth.priority());
    assertTrue(testEnv.escalations.notifications.contains("resolution_breached " + escalationId));
    assertEquals(ConversationStatus.ESCALATED, state(id).status(), "not closed as idle while with a person");
  }

  @Test
  void should_not_breach_the_first_response_deadline_once_the_agent_replied() {
    String id = escalated();
    String escalationId = state(id).escalationId();
    escalation(escalationId).claim(new AgentAction("ana", null));
    escalation(escalationId).reply(new AgentAction("ana", "On it."));

    testEnv.env.sleep(Duration.ofSeconds(SLA.firstResponseSeconds() + 5));

    assertTrue(escalation(escalationId).getView().breaches().isEmpty());
  }

  @Test
  void should_escalate_on_request_while_a_model_turn_is_in_flight() throws Exception {
    String id = start();
    testEnv.activities.answerDelayMs = 1500;
    CompletableFuture<AgentReply> inFlight = CompletableFuture.supplyAsync(() -> send(id, "Can I get a refund?"));
    Thread.sleep(300);

    ConversationState s =
        client.newWorkflowStub(ConversationWorkflow.class, id).escalate(new EscalationRequest("customer_app", null));

    assertEquals(ConversationStatus.ESCALATED, s.status());
    assertNotNull(inFlight.get().text(), "the turn in flight still gets its answer");
    testEnv.activities.answerDelayMs = 0;
    AgentReply next = send(id, "hello?");
    assertTrue(next.escalated(), "the next message goes to the person");
  }

  @Test
  void should_escalate_after_repeated_model_failures() {
    String id = start();
    testEnv.activities.answerFails = true;

    AgentReply first = send(id, "refund?");
    AgentReply second = send(id, "refund, please?");

    assertFalse(first.escalated());
    assertTrue(second.escalated());
    assertEquals("model_failure", second.reason());
    assertEquals(ConversationStatus.ESCALATED, state(id).status());
  }

  @Test
  void should_take_the_ticket_out_of_the_queue_when_the_conversation_closes() throws Exception {
    String id = escalated();
    String escalationId = state(id).escalationId();
    assertTrue(eventually(() -> testEnv.escalations.queue.containsKey(escalationId)));

    client.newWorkflowStub(ConversationWorkflow.class, id).close(new CloseRequest("agent", null));
    client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);

    assertTrue(eventually(() -> !testEnv.escalations.queue.containsKey(escalationId)), "retired on cancellation");
  }

  @Test
  void should_tell_the_customer_when_to_expect_an_answer_outside_business_hours() {
    long midnight = Instant.parse("2026-11-27T23:30:00Z").toEpochMilli();
    long noon = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

    assertNull(EscalationWorkflowImpl.outOfHoursNotice("08-18", noon));
    assertTrue(EscalationWorkflowImpl.outOfHoursNotice("08-18", midnight).contains("after 08:00 UTC"));
    assertNull(EscalationWorkflowImpl.outOfHoursNotice(null, midnight));
  }

  @Test
  void should_escalate_after_two_poorly_grounded_answers_in_a_row() {
    String id = start();
    testEnv.activities.groundingScore = 0.2;

    AgentReply first = send(id, "refund?");
    AgentReply second = send(id, "refund, really?");

    assertFalse(first.escalated());
    assertTrue(second.escalated());
    assertEquals("low_grounding", second.reason());
    assertEquals(ConversationStatus.ESCALATED, state(id).status());
  }

  @Test
  void should_escalate_after_two_negative_ratings_and_refuse_a_rating_of_an_unknown_turn() {
    String id = start();
    AgentReply a = send(id, "refund?");
    AgentReply b = send(id, "and the hub?");
    ConversationWorkflow wf = client.newWorkflowStub(ConversationWorkflow.class, id);

    Exception unknown = assertThrows(Exception.class, () -> wf.feedback(new Feedback("turn-99", "down", null)));
    assertEquals(FailureType.INVALID_MESSAGE, rejection(unknown));
    Exception bad = assertThrows(Exception.class, () -> wf.feedback(new Feedback(a.turnId(), "meh", null)));
    assertEquals(FailureType.INVALID_MESSAGE, rejection(bad));

    assertEquals(ConversationStatus.ACTIVE, wf.feedback(new Feedback(a.turnId(), "down", "wrong")).status());
    assertEquals(ConversationStatus.ACTIVE, wf.feedback(new Feedback(a.turnId(), "down", "still wrong")).status(),
        "rating the same turn again does not count twice");
    ConversationState s = wf.feedback(new Feedback(b.turnId(), "down", null));

    assertEquals(ConversationStatus.ESCALATED, s.status());
    assertNotNull(s.escalationId());
  }
}
