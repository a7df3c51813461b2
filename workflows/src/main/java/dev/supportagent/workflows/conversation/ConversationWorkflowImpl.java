package dev.supportagent.workflows.conversation;

import static dev.supportagent.workflows.SupportSearchAttributes.CUSTOMER_ID;
import static dev.supportagent.workflows.SupportSearchAttributes.ESCALATION_REASON;
import static dev.supportagent.workflows.SupportSearchAttributes.SUPPORT_STATUS;
import static dev.supportagent.workflows.SupportSearchAttributes.TURN_COUNT;

import dev.supportagent.workflows.ActivityDefaults;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.escalation.AgentAction;
import dev.supportagent.workflows.escalation.EscalationSla;
import dev.supportagent.workflows.escalation.EscalationTicket;
import dev.supportagent.workflows.escalation.EscalationWorkflow;
import dev.supportagent.workflows.escalation.Resolution;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.GuardActivities;
import dev.supportagent.workflows.guard.InputCheckRequest;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.OutputFilterRequest;
import dev.supportagent.workflows.guard.OutputFilterResult;
import dev.supportagent.workflows.guard.SafeReplies;
import dev.supportagent.workflows.guard.ScanVerdict;
import dev.supportagent.workflows.memory.MemoryActivities;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnLogActivities;
import dev.supportagent.workflows.turnlog.TurnLogBatch;
import dev.supportagent.workflows.turnlog.TurnRecord;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

public class ConversationWorkflowImpl implements ConversationWorkflow {

  /** Transcript entries kept in workflow state; older ones live in the turn log. */
  static final int MAX_TRANSCRIPT_ENTRIES = 100;

  /** Replies remembered by message id, so a retried message is answered without a new turn. */
  static final int MAX_REMEMBERED_REPLIES = 200;

  static final int TOP_K = 5;
  /** Earlier messages given to retrieval as context (both roles since the change below). */
  static final int CONTEXT_MESSAGES = RetrievalRequest.CONTEXT_MESSAGES;

  /** Retrieval context holds the agent's messages too: they often name the subject. */
  static final String CHANGE_CONTEXT_BOTH_ROLES = "retrieval-context-both-roles";

  static final String UNAVAILABLE_TEXT =
      "I'm sorry, I can't look that up right now. Please try again in a moment, or ask for a"
          + " person and we'll get back to you.";
  static final String BLOCKED_TEXT =
      "I'm sorry, I can't help with that message. Could you rephrase your question?";
  static final String HANDOFF_TEXT =
      "I'm handing your conversation to a person from our support team. They'll answer here; you"
          + " can add anything they should know in the meantime.";
  static final String WITH_HUMAN_TEXT =
      "Thanks, I've passed that on. A person from our support team has your conversation and will"
          + " answer here.";
  static final String LOW_GROUNDING_TEXT =
      "I'm not sure my answers are right here, so I've asked a person from our support team to check;"
          + " they'll reply in this conversation.";
  static final String RESOLVED_TEXT = "Our support team has finished with your conversation. I'm back if you need anything else.";

  /** Version 1: hand-over to human agents (guard ESCALATE, repeated model failure, explicit requests). */
  static final String HUMAN_ESCALATION = "human-escalation";
  /** Version 1: a run continues as new after {@link #TURNS_PER_RUN} turns (or the start's own limit). */
  static final String CONTINUE_AS_NEW = "continue-as-new-after-turns";
  /** Turns per run: each turn is some 15 history events, so a run stays near 3,000 events. */
  static final int TURNS_PER_RUN = 200;
  /** Transcript entries and replies carried into the next run. */
  static final int CARRIED_ENTRIES = 20;

  /** Version 1: the customer's recent conversation summaries are read at start and kept at the end. */
  static final String CUSTOMER_MEMORY = "customer-memory";

  /**
   * Version 1: every turn and every rating goes to the turn log, by activities the turn does not
   * wait for; a run waits a little for records still in flight before it ends.
   */
  static final String TURN_LOG = "turn-log";
  /** How long the end of a run waits for turn log records still being written. */
  static final Duration TURN_LOG_DRAIN = Duration.ofSeconds(30);

  /** Version 1: retrieval runs as a local activity, without a task queue round trip. */
  static final String LOCAL_RETRIEVAL = "local-retrieval";

  /**
   * Version 1: a turn runs in the Update's one workflow task. The answer is a local activity (no
   * dispatch to {@code support-llm} and back), and the turn log is written in batches once the
   * conversation is quiet for {@link #TURN_LOG_QUIET} (or {@link #TURN_LOG_BATCH} records are
   * waiting), not by an activity per turn whose completion the next turn would queue behind.
   */
  static final String TURN_IN_ONE_TASK = "turn-in-one-task";
  /** How long a conversation is quiet before its waiting turn log records are written. */
  static final Duration TURN_LOG_QUIET = Duration.ofSeconds(1);
  /** Records that are written at once, quiet or not. */
  static final int TURN_LOG_BATCH = 20;

  /** Version 1: the start reads the customer's memory as a local activity, in its first task. */
  static final String LOCAL_MEMORY_READ = "local-memory-read";

  /** Replies in a row the passages barely support that hand the conversation over. */
  static final int LOW_GROUNDING_BEFORE_ESCALATION = 2;
  /** Below this grounding score (0 to 1) a reply counts as poorly supported. */
  static final double LOW_GROUNDING = 0.5;
  /** Negative ratings that hand the conversation over. */
  static final int NEGATIVE_FEEDBACK_BEFORE_ESCALATION = 2;

  /** Model failures in a row that hand the conversation over. */
  static final int FAILURES_BEFORE_ESCALATION = 2;

  private static final Logger log = Workflow.getLogger(ConversationWorkflowImpl.class);

  private final GuardActivities guard =
      Workflow.newLocalActivityStub(GuardActivities.class, ActivityDefaults.GUARD);
  private final RetrievalActivities retrieval =
      Workflow.newActivityStub(RetrievalActivities.class, ActivityDefaults.RETRIEVAL);
  private final RetrievalActivities localRetrieval =
      Workflow.newLocalActivityStub(RetrievalActivities.class, ActivityDefaults.RETRIEVAL_LOCAL);
  private final AnswerActivities answerer =
      Workflow.newActivityStub(AnswerActivities.class, ActivityDefaults.ANSWER);
  private final AnswerActivities localAnswerer =
      Workflow.newLocalActivityStub(AnswerActivities.class, ActivityDefaults.ANSWER_LOCAL);
  private final MemoryActivities memory =
      Workflow.newActivityStub(MemoryActivities.class, ActivityDefaults.MEMORY);
  private final MemoryActivities localMemory =
      Workflow.newLocalActivityStub(MemoryActivities.class, ActivityDefaults.MEMORY_LOCAL);
  private final TurnLogActivities turnLog =
      Workflow.newActivityStub(TurnLogActivities.class, ActivityDefaults.TURN_LOG);
  /** Turn log writes scheduled and not finished yet, by document (conversation turn). */
  private final Map<String, TurnRecord> pendingTurns = new LinkedHashMap<>();
  private final Map<String, TurnFeedback> pendingRatings = new LinkedHashMap<>();
  /** Turn log records not scheduled yet ({@link #TURN_IN_ONE_TASK}): the next batch. */
  private final List<TurnRecord> unloggedTurns = new ArrayList<>();
  private final List<TurnFeedback> unloggedRatings = new ArrayList<>();
  /** Summaries of the customer's recent earlier conversations, newest first. */
  private List<String> earlierConversations = List.of();
  /** Set once the start has read them (or chosen not to): turns wait for it. */
  private boolean memoryRead;
  /**
   * Set by the first turn at {@link #TURN_IN_ONE_TASK} or later: from then on the main loop cancels
   * the timer of a wait that ended early, so that no stale timer fires later into a turn's task.
   */
  private boolean oneTaskTurns;

  private String conversationId;
  private String customerId;
  private ConversationStatus status = ConversationStatus.ACTIVE;
  private String closedReason;
  private int turnCount;
  private final List<TranscriptEntry> transcript = new ArrayList<>();
  /** Turns in a row whose model call fell back or failed; the router reads it. */
  private int modelFailuresInARow;
  private final Map<String, AgentReply> repliesByMessageId = new LinkedHashMap<>();
  private final Set<String> messagesInFlight = new HashSet<>();
  /** Bumped whenever a message starts or finishes, so the idle timer restarts. */
  private long activityTick;
  private EscalationSla sla = EscalationSla.DEFAULT;
  private int escalations;
  private String escalationId;
  private int humanReplies;
  private int lowGroundingInARow;
  private int negativeFeedback;
  private final Map<String, String> ratings = new LinkedHashMap<>();

  /**
   * The conversation's state from its start, before any handler runs: a message can arrive in a
   * run's first workflow task (one sent while the previous run continued as new), and its turn
   * must be numbered after the carried turns and its message id checked against the carried
   * replies. Only fields are set here, no command is issued.
   */
  @WorkflowInit
  public ConversationWorkflowImpl(ConversationStart start) {
    conversationId = start.conversationId();
    customerId = start.customerId();
    sla = start.sla();
    if (start.carry() != null) {
      restore(start.carry());
    }
    importHistory(start);
  }

  @Override
  public ConversationResult run(ConversationStart start) {
    if (start.carry() != null) {
      // turn log writes the previous run left in flight
      start.carry().pendingTurns().forEach(this::writeToTurnLog);
      start.carry().pendingRatings().forEach(this::writeToTurnLog);
    }
    boolean remembers = Workflow.getVersion(CUSTOMER_MEMORY, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (remembers) {
      boolean readLocally = Workflow.getVersion(LOCAL_MEMORY_READ, Workflow.DEFAULT_VERSION, 1) >= 1;
      try {
        earlierConversations = (readLocally ? localMemory : memory).recentSummaries(customerId);
      } catch (ActivityFailure e) {
        log.warn("customer memory unavailable for {}: {}", conversationId, failureType(e));
      }
    }
    memoryRead = true;
    Workflow.upsertTypedSearchAttributes(
        SUPPORT_STATUS.valueSet(status.name()),
        CUSTOMER_ID.valueSet(customerId),
        TURN_COUNT.valueSet((long) turnCount));

    Duration idle = Duration.ofSeconds(start.idleTimeoutSeconds());
    int firstTurn = turnCount;
    int turnsPerRun = start.turnsPerRun() > 0 ? start.turnsPerRun() : TURNS_PER_RUN;
    while (status != ConversationStatus.CLOSED) {
      if (status == ConversationStatus.ACTIVE && turnCount - firstTurn >= turnsPerRun && messagesInFlight.isEmpty()
          && Workflow.getVersion(CONTINUE_AS_NEW, Workflow.DEFAULT_VERSION, 1) >= 1) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        // turn log writes still in flight go with the carry: the next run schedules them again
        Workflow.continueAsNew(start.continued(carry()));
      }
      long seen = activityTick;
      if (unlogged() > 0) {
        // the turn log's next batch: written once nothing happened for a moment, or when full
        boolean busy =
            awaitOrCancelTimer(TURN_LOG_QUIET, () -> status == ConversationStatus.CLOSED || activityTick != seen
                || unlogged() >= TURN_LOG_BATCH);
        if (!busy || unlogged() >= TURN_LOG_BATCH) {
          flushTurnLog();
        }
        continue;
      }
      Supplier<Boolean> wake = () -> status == ConversationStatus.CLOSED || activityTick != seen;
      boolean woke = oneTaskTurns ? awaitOrCancelTimer(idle, wake) : Workflow.await(idle, wake);
      // a conversation with a person is not idle: the agent's timers run in the escalation
      if (!woke && messagesInFlight.isEmpty() && status != ConversationStatus.ESCALATED) {
        if (turnCount > 0) {
          append("closing", "system", "This conversation was closed after " + idle.toMinutes()
              + " minutes without a message. " + summary(null) + " Send a message to start a new one.", List.of());
        }
        markClosed("idle_timeout");
      }
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    drainTurnLog();
    if (remembers && turnCount > 0) {
      try {
        memory.remember(customerId, conversationId, summary(null) + " Closed: " + closedReason + ".");
      } catch (ActivityFailure e) {
        log.warn("conversation {} not remembered: {}", conversationId, failureType(e));
      }
    }
    return new ConversationResult(conversationId, turnCount, closedReason);
  }

  @Override
  public void validateSendMessage(UserTurn turn) {
    if (status == ConversationStatus.CLOSED) {
      throw FailureType.CONVERSATION_CLOSED.failure("the conversation is closed");
    }
    if (turn == null || turn.messageId() == null || turn.messageId().isBlank()) {
      throw FailureType.INVALID_MESSAGE.failure("messageId is required");
    }
    if (turn.text() == null || turn.text().isBlank()) {
      throw FailureType.INVALID_MESSAGE.failure("text must not be empty");
    }
    if (turn.text().length() > UserTurn.MAX_TEXT_CHARS) {
      throw FailureType.INVALID_MESSAGE.failure(
          "text is longer than " + UserTurn.MAX_TEXT_CHARS + " characters");
    }
  }

  @Override
  public AgentReply sendMessage(UserTurn turn) {
    AgentReply earlier = repliesByMessageId.get(turn.messageId());
    if (earlier != null) {
      return earlier;
    }
    if (messagesInFlight.contains(turn.messageId())) {
      Workflow.await(() -> repliesByMessageId.containsKey(turn.messageId()));
      return repliesByMessageId.get(turn.messageId());
    }
    messagesInFlight.add(turn.messageId());
    activityTick++;
    try {
      TurnFacts facts = new TurnFacts();
      AgentReply reply = answer(turn, ++turnCount, facts).withTimeline(facts.timeline);
      remember(turn.messageId(), reply);
      Workflow.upsertTypedSearchAttributes(TURN_COUNT.valueSet((long) turnCount));
      if (Workflow.getVersion(TURN_LOG, Workflow.DEFAULT_VERSION, 1) >= 1) {
        logTurn(turn, reply, facts);
      }
      return reply;
    } finally {
      messagesInFlight.remove(turn.messageId());
      activityTick++;
    }
  }

  @Override
  public void close(CloseRequest request) {
    if (status != ConversationStatus.CLOSED) {
      String by = request == null || request.by() == null ? "client" : request.by();
      markClosed("closed_by_" + by);
    }
  }

  @Override
  public ConversationState getState() {
    return new ConversationState(
        conversationId, customerId, status, turnCount, closedReason, List.copyOf(transcript), escalationId);
  }

  private AgentReply answer(UserTurn turn, int number, TurnFacts facts) {
    // a first message can arrive while the start still reads the customer's memory
    Workflow.await(() -> memoryRead);
    String turnId = "turn-" + number;
    long started = Workflow.currentTimeMillis();
    Map<String, Long> stages = new LinkedHashMap<>();
    facts.mark("handler_started");

    InputCheckResult input =
        guard.checkInput(new InputCheckRequest(conversationId, turnId, turn.text()));
    stages.put("input_check", input.durationMs());
    facts.mark("input_check_done", input.endedAtMs());
    facts.question = input.text();
    facts.inputVerdicts = input.verdicts();
    boolean escalation = Workflow.getVersion(HUMAN_ESCALATION, Workflow.DEFAULT_VERSION, 1) >= 1;
    // asked after the input check, as the versions before it are: asked earlier, it would let the
    // main loop's timer take its id before the check's in histories recorded without it
    boolean oneTask = Workflow.getVersion(TURN_IN_ONE_TASK, Workflow.DEFAULT_VERSION, 1) >= 1;
    oneTaskTurns |= oneTask;
    if (escalation && status == ConversationStatus.ESCALATED && input.action() != GuardAction.BLOCK) {
      append(turnId, "user", input.text(), List.of());
      Workflow.newExternalWorkflowStub(EscalationWorkflow.class, escalationId).customerMessage(input.text());
      return handedOver(turnId, turn, started, stages, WITH_HUMAN_TEXT, "with_human");
    }
    if (escalation && input.action() == GuardAction.ESCALATE) {
      append(turnId, "user", input.text(), List.of());
      startEscalation(input.reason() == null ? "customer_request" : input.reason());
      return handedOver(turnId, turn, started, stages, HANDOFF_TEXT, "customer_request");
    }
    int contextVersion = Workflow.getVersion(CHANGE_CONTEXT_BOTH_ROLES, Workflow.DEFAULT_VERSION, 1);
    List<String> context =
        contextVersion == Workflow.DEFAULT_VERSION ? recentCustomerMessages() : recentMessages();
    append(turnId, "user", input.text(), List.of());

    if (input.action() == GuardAction.BLOCK) {
      // a polite answer that does not say which rule fired; the reason stays in the reply's record
      String text = escalation ? SafeReplies.forInput(input) : BLOCKED_TEXT;
      return finish(turnId, turn, started, stages, text, List.of(), true, input.reason(), null);
    }

    GeneratedAnswer generated;
    RetrievalResult found;
    try {
      RetrievalActivities retriever =
          Workflow.getVersion(LOCAL_RETRIEVAL, Workflow.DEFAULT_VERSION, 1) >= 1 ? localRetrieval : retrieval;
      found = retriever.retrieve(new RetrievalRequest(conversationId, turnId, input.text(), context, TOP_K));
      stages.put("retrieval", found.durationMs());
      facts.mark("retrieval_done", found.endedAtMs());
      facts.passages = found.passages();
      facts.kbVersion = found.kbVersion();
      generated =
          (oneTask ? localAnswerer : answerer).generate(
              new AnswerRequest(
                  conversationId, turnId, input.text(), found.passages(), found.relevant(),
                  turn.messageId(), earlierMessages(), modelFailuresInARow, found.kbVersion(),
                  found.bestScore(), earlierConversations));
      stages.put("generation", generated.durationMs());
      facts.timeline.putAll(generated.timeline());
      facts.mark("generation_done", generated.timeline().getOrDefault("generation_done", 0L));
      modelFailuresInARow = generated.fallbacks().isEmpty() ? 0 : modelFailuresInARow + 1;
    } catch (ActivityFailure e) {
      modelFailuresInARow++;
      log.warn("turn {} of {} degraded: {}", turnId, conversationId, failureType(e));
      if (escalation && modelFailuresInARow >= FAILURES_BEFORE_ESCALATION) {
        startEscalation("model_failure");
        return handedOver(turnId, turn, started, stages, UNAVAILABLE_TEXT + " " + HANDOFF_TEXT, "model_failure");
      }
      return finish(
          turnId, turn, started, stages, UNAVAILABLE_TEXT, List.of(), false,
          "temporarily_unavailable", null);
    }

    if (escalation && generated.groundingScore() != null) {
      lowGroundingInARow = generated.groundingScore() < LOW_GROUNDING ? lowGroundingInARow + 1 : 0;
    }
    OutputFilterResult filtered =
        guard.filterOutput(
            new OutputFilterRequest(
                conversationId, turnId, generated.text(), customerMessages(),
                found.passages().stream().map(Passage::text).toList()));
    stages.put("output_filter", filtered.durationMs());
    facts.mark("output_filter_done", filtered.endedAtMs());
    facts.outputVerdicts = filtered.verdicts();
    facts.groundingScore = generated.groundingScore();
    if (escalation && lowGroundingInARow >= LOW_GROUNDING_BEFORE_ESCALATION) {
      lowGroundingInARow = 0;
      startEscalation("low_grounding");
      return handedOver(turnId, turn, started, stages, filtered.text() + " " + LOW_GROUNDING_TEXT, "low_grounding");
    }
    return finish(
        turnId, turn, started, stages, filtered.text(), generated.citations(), false,
        generated.declined() ? "nothing_relevant" : null, generated);
  }

  /** The reply to a message while, or as, the conversation goes to a person: no model involved. */
  private AgentReply handedOver(
      String turnId, UserTurn turn, long started, Map<String, Long> stages, String text, String reason) {
    append(turnId, "agent", text, List.of());
    return new AgentReply(
        turnId, turn.messageId(), text, List.of(), false, true, reason, null, null, null, 0, 0, 0,
        Workflow.currentTimeMillis() - started, stages, null, 0, List.of());
  }

  /**
   * Hands the conversation to a person: starts the escalation as a child workflow (cancelled if the
   * conversation closes first) and marks the conversation ESCALATED. A no-op when it already is.
   */
  private void startEscalation(String reason) {
    if (status != ConversationStatus.ACTIVE) {
      return;
    }
    escalations++;
    escalationId = "escalation-" + conversationId + "-" + escalations;
    EscalationTicket ticket =
        new EscalationTicket(
            escalationId, conversationId, customerId, reason, priorityFor(reason), summary(reason),
            citedDocuments(), Workflow.currentTimeMillis(), sla);
    EscalationWorkflow child =
        Workflow.newChildWorkflowStub(
            EscalationWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(escalationId)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .build());
    Async.function(child::run, ticket);
    Workflow.getWorkflowExecution(child).get();
    status = ConversationStatus.ESCALATED;
    activityTick++;
    Workflow.upsertTypedSearchAttributes(
        SUPPORT_STATUS.valueSet(status.name()), ESCALATION_REASON.valueSet(reason));
    Workflow.upsertMemo(Map.of("summary", ticket.summary()));
  }

  static int priorityFor(String reason) {
    return switch (reason) {
      case "guard" -> 4;
      case "model_failure", "customer_request" -> 3;
      default -> 2;
    };
  }

  /**
   * The conversation in a few lines: who, why it was handed over (when it was), the first and the
   * latest of the customer's messages.
   */
  private String summary(String handedOverBecause) {
    StringBuilder s = new StringBuilder("Customer ").append(customerId).append(", ").append(turnCount)
        .append(" turn(s)");
    if (handedOverBecause != null) {
      s.append("; handed over: ").append(handedOverBecause.replace('_', ' '));
    }
    s.append('.');
    if (handedOverBecause != null && !earlierConversations.isEmpty()) {
      s.append(" Earlier conversations: ").append(earlierConversations.size()).append(" (latest: ")
          .append(clip(earlierConversations.get(0), 160)).append(").");
    }
    List<TranscriptEntry> customer = transcript.stream().filter(e -> "user".equals(e.role())).toList();
    if (!customer.isEmpty()) {
      s.append(" First message: \"").append(clip(customer.get(0).text(), 160)).append("\".");
      if (customer.size() > 1) {
        s.append(" Latest: \"").append(clip(customer.get(customer.size() - 1).text(), 160)).append("\".");
      }
    }
    return s.toString();
  }

  private static String clip(String text, int max) {
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() <= max ? t : t.substring(0, max - 1) + "…";
  }

  /** The documents the bot cited in this conversation, in order of first citation. */
  private List<String> citedDocuments() {
    Set<String> ids = new java.util.LinkedHashSet<>();
    for (TranscriptEntry e : transcript) {
      e.citations().forEach(c -> ids.add(c.documentId()));
    }
    return List.copyOf(ids);
  }

  @Override
  public void validateEscalate(EscalationRequest request) {
    if (status == ConversationStatus.CLOSED) {
      throw FailureType.CONVERSATION_CLOSED.failure("the conversation is closed");
    }
  }

  @Override
  public ConversationState escalate(EscalationRequest request) {
    String by = request == null || request.by() == null ? "customer_app" : request.by();
    if (status == ConversationStatus.ACTIVE) {
      append("escalate-" + (escalations + 1), "system", "The conversation was handed to a person (requested by " + by + ").", List.of());
      startEscalation("agent".equals(by) ? "agent_request" : "customer_request");
    }
    return getState();
  }

  @Override
  public void validateFeedback(Feedback feedback) {
    if (status == ConversationStatus.CLOSED) {
      throw FailureType.CONVERSATION_CLOSED.failure("the conversation is closed");
    }
    if (feedback == null || !("up".equals(feedback.rating()) || "down".equals(feedback.rating()))) {
      throw FailureType.INVALID_MESSAGE.failure("rating must be up or down");
    }
    if (feedback.comment() != null && feedback.comment().length() > Feedback.MAX_COMMENT_CHARS) {
      throw FailureType.INVALID_MESSAGE.failure("comment is longer than " + Feedback.MAX_COMMENT_CHARS + " characters");
    }
    boolean known = transcript.stream().anyMatch(e -> "agent".equals(e.role()) && e.turnId().equals(feedback.turnId()));
    if (!known) {
      throw FailureType.INVALID_MESSAGE.failure("no reply with turnId " + feedback.turnId());
    }
  }

  @Override
  public ConversationState feedback(Feedback feedback) {
    String earlier = ratings.put(feedback.turnId(), feedback.rating());
    if (Workflow.getVersion(TURN_LOG, Workflow.DEFAULT_VERSION, 1) >= 1) {
      String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
      TurnFeedback rating =
          new TurnFeedback(conversationId, feedback.turnId(), turnTime(feedback.turnId()), feedback.rating(),
              feedback.comment(), at);
      if (Workflow.getVersion(TURN_IN_ONE_TASK, Workflow.DEFAULT_VERSION, 1) >= 1) {
        unloggedRatings.add(rating);
        activityTick++;
      } else {
        writeToTurnLog(rating);
      }
    }
    if ("down".equals(feedback.rating()) && !"down".equals(earlier)) {
      negativeFeedback++;
    } else if ("down".equals(earlier) && !"down".equals(feedback.rating())) {
      negativeFeedback--;
    }
    if (negativeFeedback >= NEGATIVE_FEEDBACK_BEFORE_ESCALATION && status == ConversationStatus.ACTIVE) {
      negativeFeedback = 0;
      append("feedback-" + turnCount, "system", "Sorry my answers didn't help. I've handed your conversation to a"
          + " person from our support team; they'll reply here.", List.of());
      startEscalation("negative_feedback");
    }
    return getState();
  }

  @Override
  public void humanReply(AgentAction reply) {
    append("human-" + (++humanReplies), "human_agent", reply.text(), List.of());
    activityTick++;
  }

  @Override
  public void escalationNotice(String text) {
    append("notice-" + escalations + "-" + transcript.size(), "system", text, List.of());
    activityTick++;
  }

  @Override
  public void escalationResolved(Resolution resolution) {
    if (status != ConversationStatus.ESCALATED) {
      return;
    }
    if (resolution.handBack()) {
      status = ConversationStatus.ACTIVE;
      append("resolved-" + escalations, "system", RESOLVED_TEXT, List.of());
      Workflow.upsertTypedSearchAttributes(SUPPORT_STATUS.valueSet(status.name()));
    } else {
      markClosed("resolved_by_agent");
    }
    activityTick++;
  }

  private AgentReply finish(
      String turnId,
      UserTurn turn,
      long started,
      Map<String, Long> stages,
      String text,
      List<Citation> citations,
      boolean blocked,
      String reason,
      GeneratedAnswer generated) {
    append(turnId, "agent", text, citations);
    return new AgentReply(
        turnId,
        turn.messageId(),
        text,
        citations,
        blocked,
        false,
        reason,
        generated == null ? null : generated.model(),
        generated == null ? null : generated.tier(),
        generated == null ? null : generated.promptVersion(),
        generated == null ? 0 : generated.tokensIn(),
        generated == null ? 0 : generated.tokensOut(),
        generated == null ? 0 : generated.costUsd(),
        Workflow.currentTimeMillis() - started,
        stages,
        generated == null ? null : generated.provider(),
        generated == null ? 0 : generated.attempts(),
        generated == null ? List.of() : generated.fallbacks());
  }

  /** What a turn learnt on its way, for the turn log and the reply's timeline. */
  private static final class TurnFacts {
    /**
     * When each step ended, in epoch milliseconds: the handler's start is the workflow's clock (the
     * server's time of the workflow task), each stage's end the worker's clock as the stage's
     * result says (the workflow's clock does not see the time between a local activity's end and
     * the next one's start); on one host, one clock with the API's.
     */
    final Map<String, Long> timeline = new LinkedHashMap<>();
    String question;
    List<ScanVerdict> inputVerdicts = List.of();
    List<Passage> passages = List.of();
    String kbVersion;
    List<ScanVerdict> outputVerdicts = List.of();
    Double groundingScore;

    void mark(String step) {
      timeline.put(step, Workflow.currentTimeMillis());
    }

    /** {@code step} at {@code at} as a result reported it; the workflow's clock when it did not. */
    void mark(String step, long at) {
      timeline.put(step, at > 0 ? at : Workflow.currentTimeMillis());
    }
  }

  /**
   * When a turn's message arrived: the time of its entry in the transcript (the customer's, or the
   * reply's when that one is gone), which the turn's record and its ratings share.
   */
  private String turnTime(String turnId) {
    String at = null;
    for (TranscriptEntry e : transcript) {
      if (e.turnId().equals(turnId)) {
        if ("user".equals(e.role())) {
          return e.at();
        }
        at = at == null ? e.at() : at;
      }
    }
    return at == null ? Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString() : at;
  }

  private void logTurn(UserTurn turn, AgentReply reply, TurnFacts facts) {
    List<TurnRecord.RetrievedPassage> passages =
        facts.passages.stream()
            .map(p -> new TurnRecord.RetrievedPassage(p.passageId(), p.documentId(), p.score()))
            .toList();
    TurnRecord record =
        new TurnRecord(
            conversationId, reply.turnId(), turn.messageId(), customerId, turnTime(reply.turnId()),
            facts.question == null ? turn.text().strip() : facts.question, reply.text(), reply.citations(),
            passages, facts.inputVerdicts, facts.outputVerdicts, reply.blocked(), reply.escalated(),
            reply.reason(), reply.escalated() ? escalationId : null, reply.model(), reply.provider(),
            reply.tier(), reply.promptVersion(), reply.tokensIn(), reply.tokensOut(), reply.costUsd(),
            reply.latencyMs(), reply.stagesMs(), reply.attempts(), reply.fallbacks(), facts.kbVersion,
            facts.groundingScore);
    if (Workflow.getVersion(TURN_IN_ONE_TASK, Workflow.DEFAULT_VERSION, 1) >= 1) {
      unloggedTurns.add(record);
    } else {
      writeToTurnLog(record);
    }
  }

  /**
   * {@link Workflow#await(Duration, Supplier)} whose timer is cancelled when the condition comes
   * first (that one leaves it to fire later, a workflow task of its own). True when the condition
   * holds, false when the time ran out.
   */
  private static boolean awaitOrCancelTimer(Duration timeout, Supplier<Boolean> condition) {
    List<Promise<Void>> timer = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout)));
    scope.run();
    Workflow.await(() -> timer.get(0).isCompleted() || condition.get());
    if (!timer.get(0).isCompleted()) {
      scope.cancel();
    }
    return condition.get();
  }

  private int unlogged() {
    return unloggedTurns.size() + unloggedRatings.size();
  }

  /**
   * Schedules the waiting turn log records as one write (turns before ratings) and goes on without
   * waiting, like {@link #writeToTurnLog(TurnRecord)}: they are pending until it is done.
   */
  private void flushTurnLog() {
    if (unlogged() == 0) {
      return;
    }
    List<TurnRecord> turns = List.copyOf(unloggedTurns);
    List<TurnFeedback> rated = List.copyOf(unloggedRatings);
    unloggedTurns.clear();
    unloggedRatings.clear();
    turns.forEach(r -> pendingTurns.put(r.turnId(), r));
    rated.forEach(r -> pendingRatings.put(r.turnId(), r));
    settle(
        Async.procedure(turnLog::recordAll, new TurnLogBatch(turns, rated)),
        () -> {
          turns.forEach(r -> pendingTurns.remove(r.turnId(), r));
          rated.forEach(r -> pendingRatings.remove(r.turnId(), r));
        });
  }

  /**
   * Schedules a turn log write and goes on without waiting: a failure (after the activity's own
   * retries) is logged and otherwise ignored, so the log never fails a turn. Until it is done the
   * write is pending, and a continue-as-new carries it to the next run.
   */
  private void writeToTurnLog(TurnRecord record) {
    pendingTurns.put(record.turnId(), record);
    settle(Async.procedure(turnLog::record, record), () -> pendingTurns.remove(record.turnId(), record));
  }

  private void writeToTurnLog(TurnFeedback rating) {
    pendingRatings.put(rating.turnId(), rating);
    settle(Async.procedure(turnLog::recordFeedback, rating), () -> pendingRatings.remove(rating.turnId(), rating));
  }

  private void settle(Promise<Void> written, Runnable done) {
    written.handle(
        (ok, failure) -> {
          done.run();
          if (failure != null) {
            log.warn("turn log write for {} given up: {}", conversationId, failure.getClass().getSimpleName());
          }
          return null;
        });
  }

  /** Gives turn log writes still in flight a little time before the run ends (none: no wait, no timer). */
  private void drainTurnLog() {
    flushTurnLog();
    if (!pendingTurns.isEmpty() || !pendingRatings.isEmpty()) {
      Workflow.await(TURN_LOG_DRAIN, () -> pendingTurns.isEmpty() && pendingRatings.isEmpty());
    }
  }

  /** The state the next run needs: counts, the latest entries with a summary of the rest, replies. */
  private ConversationCarry carry() {
    int from = Math.max(0, transcript.size() - CARRIED_ENTRIES);
    List<TranscriptEntry> kept = new ArrayList<>(transcript.subList(from, transcript.size()));
    String summary = from == 0 ? null : summary(null);
    Map<String, AgentReply> replies = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(repliesByMessageId.keySet());
    for (String id : ids.subList(Math.max(0, ids.size() - CARRIED_ENTRIES), ids.size())) {
      replies.put(id, repliesByMessageId.get(id));
    }
    return new ConversationCarry(
        turnCount, escalations, modelFailuresInARow, summary, kept, replies,
        concat(pendingTurns.values(), unloggedTurns), concat(pendingRatings.values(), unloggedRatings));
  }

  private static <T> List<T> concat(java.util.Collection<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  private void restore(ConversationCarry carry) {
    turnCount = carry.turnCount();
    escalations = carry.escalations();
    modelFailuresInARow = carry.modelFailuresInARow();
    if (carry.summary() != null) {
      append("summary", "system", "Earlier in this conversation: " + carry.summary(), List.of());
    }
    transcript.addAll(carry.transcript());
    repliesByMessageId.putAll(carry.replies());
  }

  private void importHistory(ConversationStart start) {
    int n = 0;
    for (HistoryMessage message : start.history()) {
      String role = "agent".equals(message.role()) ? "agent" : "user";
      append("imported-" + (++n), role, message.text(), List.of());
    }
  }

  /** The customer's messages in the transcript (checked text), oldest first. */
  private List<String> customerMessages() {
    return transcript.stream().filter(e -> "user".equals(e.role())).map(TranscriptEntry::text).toList();
  }

  /** The messages before the current question (the last entry), oldest first, with their roles. */
  private List<HistoryMessage> earlierMessages() {
    List<HistoryMessage> earlier = new ArrayList<>();
    for (int i = transcript.size() - 2; i >= 0 && earlier.size() < CONTEXT_MESSAGES; i--) {
      TranscriptEntry e = transcript.get(i);
      earlier.add(0, new HistoryMessage(e.role(), e.text()));
    }
    return earlier;
  }

  /** The last messages of either role, oldest first. */
  private List<String> recentMessages() {
    List<String> recent = new ArrayList<>();
    for (int i = transcript.size() - 1; i >= 0 && recent.size() < CONTEXT_MESSAGES; i--) {
      recent.add(0, transcript.get(i).text());
    }
    return recent;
  }

  /** Before {@link #CHANGE_CONTEXT_BOTH_ROLES}: the customer's last three messages. */
  private List<String> recentCustomerMessages() {
    List<String> recent = new ArrayList<>();
    for (int i = transcript.size() - 1; i >= 0 && recent.size() < 3; i--) {
      TranscriptEntry entry = transcript.get(i);
      if ("user".equals(entry.role())) {
        recent.add(0, entry.text());
      }
    }
    return recent;
  }

  private void append(String turnId, String role, String text, List<Citation> citations) {
    String at = Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    transcript.add(new TranscriptEntry(turnId, role, text, citations, at));
    while (transcript.size() > MAX_TRANSCRIPT_ENTRIES) {
      transcript.remove(0);
    }
  }

  private void remember(String messageId, AgentReply reply) {
    repliesByMessageId.put(messageId, reply);
    while (repliesByMessageId.size() > MAX_REMEMBERED_REPLIES) {
      String oldest = repliesByMessageId.keySet().iterator().next();
      repliesByMessageId.remove(oldest);
    }
  }

  private void markClosed(String reason) {
    if (status == ConversationStatus.ESCALATED && escalationId != null) {
      Workflow.newExternalWorkflowStub(EscalationWorkflow.class, escalationId).conversationClosed(reason);
    }
    status = ConversationStatus.CLOSED;
    closedReason = reason;
    Workflow.upsertTypedSearchAttributes(SUPPORT_STATUS.valueSet(status.name()));
  }

  private static String failureType(ActivityFailure e) {
    if (e.getCause() instanceof ApplicationFailure af) {
      return af.getType();
    }
    return e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName();
  }
}
