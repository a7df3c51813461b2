package dev.supportagent.api;

import static dev.supportagent.workflows.SupportSearchAttributes.CUSTOMER_ID;
import static dev.supportagent.workflows.SupportSearchAttributes.SUPPORT_STATUS;
import static dev.supportagent.workflows.SupportSearchAttributes.TURN_COUNT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.CloseRequest;
import dev.supportagent.workflows.conversation.ConversationClient;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.conversation.ConversationState;
import dev.supportagent.workflows.conversation.ConversationStatus;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.conversation.EscalationRequest;
import dev.supportagent.workflows.conversation.Feedback;
import dev.supportagent.workflows.escalation.EscalationSla;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.conversation.TranscriptEntry;
import dev.supportagent.workflows.conversation.UserTurn;
import io.javalin.http.Context;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Translates the conversation routes to workflow calls; all logic lives in the workflow. */
public final class ConversationController {

  static final int MAX_HISTORY = 50;
  private static final Pattern CONVERSATION_ID =
      Pattern.compile("conversation-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern CUSTOMER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  record CreateRequest(String customerId, Map<String, String> metadata, List<HistoryMessage> history) {}

  record CreateResponse(String conversationId, String status) {}

  record MessageRequest(String messageId, String text) {}

  /** The reply, and where the turn's time went ({@link TurnTimeline}). */
  record MessageResponse(AgentReply reply, Map<String, Long> timeline) {}

  record CloseBody(String reason) {}

  private final WorkflowClient temporal;
  private final ObjectMapper json;
  private final ApiMetrics metrics;
  private final long idleTimeoutSeconds;
  private final AnswerStreamReader streams;
  private final ConversationOwners owners = new ConversationOwners();
  private final EscalationSla sla;

  public ConversationController(
      WorkflowClient temporal, ObjectMapper json, ApiMetrics metrics, long idleTimeoutSeconds,
      AnswerStreamReader streams, EscalationSla sla) {
    this.sla = sla;
    this.temporal = temporal;
    this.json = json;
    this.metrics = metrics;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.streams = streams;
  }

  public void create(Context ctx) {
    CreateRequest body = body(ctx, CreateRequest.class);
    String customerId = body.customerId();
    if (customerId == null || !CUSTOMER.matcher(customerId).matches()) {
      throw ApiException.badRequest("customerId is required: 1 to 128 letters, digits or ._:@-");
    }
    String endUser = ctx.header(Auth.END_USER_HEADER);
    if (endUser != null && !endUser.strip().equals(customerId)) {
      throw ApiException.forbidden("customerId does not match the " + Auth.END_USER_HEADER + " header");
    }
    List<HistoryMessage> history = body.history() == null ? List.of() : body.history();
    if (history.size() > MAX_HISTORY) {
      throw ApiException.badRequest("history has more than " + MAX_HISTORY + " messages");
    }
    for (HistoryMessage m : history) {
      if (m == null || m.text() == null || m.text().isBlank() || m.text().length() > UserTurn.MAX_TEXT_CHARS
          || !("user".equals(m.role()) || "agent".equals(m.role()))) {
        throw ApiException.badRequest("each history message needs role user or agent and a text of 1 to "
            + UserTurn.MAX_TEXT_CHARS + " characters");
      }
    }
    String id = "conversation-" + UUID.randomUUID();
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(TaskQueues.CONVERSATIONS)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(SUPPORT_STATUS, ConversationStatus.ACTIVE.name())
                    .set(CUSTOMER_ID, customerId)
                    .set(TURN_COUNT, 0L)
                    .build())
            .build();
    ConversationWorkflow workflow = temporal.newWorkflowStub(ConversationWorkflow.class, options);
    WorkflowClient.start(
        workflow::run,
        new ConversationStart(id, customerId, body.metadata(), history, idleTimeoutSeconds, sla));
    owners.remember(id, customerId);
    ctx.status(201).json(new CreateResponse(id, ConversationStatus.ACTIVE.name()));
  }

  public void sendMessage(Context ctx) throws java.io.IOException {
    long started = System.nanoTime();
    TurnTimeline timeline = new TurnTimeline(ctx.attribute(RequestTracing.RECEIVED_AT));
    String id = ctx.pathParam("id");
    MessageRequest body = body(ctx, MessageRequest.class);
    if (body.text() == null || body.text().isBlank()) {
      throw ApiException.badRequest("text is required");
    }
    if (body.text().length() > UserTurn.MAX_TEXT_CHARS) {
      throw ApiException.badRequest("text is longer than " + UserTurn.MAX_TEXT_CHARS + " characters");
    }
    String messageId = body.messageId() == null ? UUID.randomUUID().toString() : body.messageId();
    if (!MESSAGE_ID.matcher(messageId).matches()) {
      throw ApiException.badRequest("messageId must be 1 to 128 letters, digits or ._:-");
    }
    // a known conversation's customer is checked here, and whether it is closed by the update's validator
    String owner = owners.owner(id).orElse(null);
    if (owner == null) {
      if (authorisedState(ctx, id).status() == ConversationStatus.CLOSED) {
        throw ApiException.conflict("the conversation is closed");
      }
    } else {
      authorise(ctx, owner);
    }
    UserTurn turn = new UserTurn(messageId, body.text());
    if (wantsEventStream(ctx)) {
      AnswerEventStream stream = new AnswerEventStream(ctx, json, streams);
      timeline.mark("api_update_sent");
      stream.relay(id, turn, () -> ConversationClient.sendMessage(temporal, id, turn),
          ConversationController::translate,
          reply -> {
            if (stream.firstTokenAt() != 0) {
              timeline.mark("api_first_token",
                  System.currentTimeMillis() - (System.nanoTime() - stream.firstTokenAt()) / 1_000_000);
            }
            return new MessageResponse(reply, timeline.complete(reply));
          },
          reply -> {
            metrics.recordTurn(System.nanoTime() - started, reply);
            if (stream.firstTokenAt() != 0) {
              metrics.recordFirstToken(stream.firstTokenAt() - started, reply);
            }
          });
      return;
    }
    AgentReply reply;
    timeline.mark("api_update_sent");
    try {
      reply = ConversationClient.sendMessage(temporal, id, turn);
    } catch (WorkflowUpdateException e) {
      throw translate(e);
    } catch (WorkflowNotFoundException e) {
      throw ApiException.conflict("the conversation is closed");
    }
    timeline.mark("api_update_returned");
    metrics.recordTurn(System.nanoTime() - started, reply);
    ctx.json(new MessageResponse(reply, timeline.complete(reply)));
  }

  private static boolean wantsEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/event-stream");
  }

  public void get(Context ctx) {
    ctx.json(authorisedState(ctx, ctx.pathParam("id")));
  }

  record EscalateBody(String note) {}

  /** Records the customer's rating of a reply; a second negative one hands the conversation over. */
  public void feedback(Context ctx) {
    String id = ctx.pathParam("id");
    ConversationState state = authorisedState(ctx, id);
    if (state.status() == ConversationStatus.CLOSED) {
      throw ApiException.conflict("the conversation is closed");
    }
    Feedback body = body(ctx, Feedback.class);
    if (body.turnId() == null || !("up".equals(body.rating()) || "down".equals(body.rating()))) {
      throw ApiException.badRequest("turnId and a rating of up or down are required");
    }
    try {
      ConversationState after = temporal.newWorkflowStub(ConversationWorkflow.class, id).feedback(body);
      metrics.recordFeedback(body.rating());
      ctx.json(Map.of("status", after.status().name(), "escalationId",
          after.escalationId() == null ? "" : after.escalationId()));
    } catch (WorkflowUpdateException e) {
      FailureType type = FailureType.of(e).orElse(null);
      if (type == FailureType.INVALID_MESSAGE) {
        throw ApiException.badRequest("no reply with that turnId, or a comment over " + Feedback.MAX_COMMENT_CHARS + " characters");
      }
      throw translate(e);
    }
  }

  /** Hands the conversation to a person now ({@code customer_app} for its end user, or an agent). */
  public void escalate(Context ctx) {
    String id = ctx.pathParam("id");
    ConversationState state = authorisedState(ctx, id);
    if (state.status() == ConversationStatus.CLOSED) {
      throw ApiException.conflict("the conversation is closed");
    }
    EscalateBody body = ctx.body().isBlank() ? new EscalateBody(null) : body(ctx, EscalateBody.class);
    String by = Auth.principal(ctx).role().name().toLowerCase(java.util.Locale.ROOT);
    try {
      ctx.json(temporal.newWorkflowStub(ConversationWorkflow.class, id).escalate(new EscalationRequest(by, body.note())));
    } catch (WorkflowUpdateException e) {
      throw translate(e);
    }
  }

  static final java.time.Duration EVENTS_POLL = java.time.Duration.ofSeconds(1);
  static final java.time.Duration EVENTS_MAX = java.time.Duration.ofMinutes(30);

  /**
   * The conversation's new transcript entries as server-sent events ({@code message}, with the
   * entry) and its status changes ({@code status}), for as long as the client listens (30 minutes
   * at most) or until it closes: how a customer sees a person's replies while escalated.
   */
  public void events(Context ctx) throws java.io.IOException {
    String id = ctx.pathParam("id");
    ConversationState state = authorisedState(ctx, id);
    ctx.status(200).contentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    java.io.OutputStream out = ctx.res().getOutputStream();
    java.util.Set<String> seen = new java.util.HashSet<>();
    state.transcript().forEach(e -> seen.add(e.turnId() + "@" + e.at()));
    ConversationStatus status = null;
    long until = System.nanoTime() + EVENTS_MAX.toNanos();
    while (System.nanoTime() < until) {
      // the new entries first, then the status they led to (a reply, then CLOSED)
      for (TranscriptEntry e : state.transcript()) {
        if (seen.add(e.turnId() + "@" + e.at())) {
          sse(out, "message", e);
        }
      }
      if (status != state.status()) {
        status = state.status();
        Map<String, String> change = new java.util.LinkedHashMap<>();
        change.put("status", status.name());
        change.put("escalationId", state.escalationId() == null ? "" : state.escalationId());
        sse(out, "status", change);
      }
      if (status == ConversationStatus.CLOSED) {
        return;
      }
      try {
        Thread.sleep(EVENTS_POLL.toMillis());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        state = temporal.newWorkflowStub(ConversationWorkflow.class, id).getState();
      } catch (WorkflowNotFoundException gone) {
        return;
      }
    }
  }

  private void sse(java.io.OutputStream out, String event, Object data) throws java.io.IOException {
    out.write(("event: " + event + "\ndata: " + json.writeValueAsString(data) + "\n\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    out.flush();
  }

  public void close(Context ctx) {
    String id = ctx.pathParam("id");
    ConversationState state = authorisedState(ctx, id);
    if (state.status() != ConversationStatus.CLOSED) {
      String by = Auth.principal(ctx).role().name().toLowerCase(java.util.Locale.ROOT);
      CloseBody body = ctx.body().isBlank() ? new CloseBody(null) : body(ctx, CloseBody.class);
      try {
        temporal.newWorkflowStub(ConversationWorkflow.class, id).close(new CloseRequest(by, body.reason()));
      } catch (WorkflowNotFoundException e) {
        // finished between the query and the signal: it is closed, which is what was asked
      }
    }
    ctx.json(new CreateResponse(id, ConversationStatus.CLOSED.name()));
  }

  /** The conversation's state, once the caller is shown to be allowed to see it. */
  private ConversationState authorisedState(Context ctx, String id) {
    if (!CONVERSATION_ID.matcher(id).matches()) {
      throw ApiException.notFound("no conversation " + id);
    }
    endUser(ctx);
    ConversationState state;
    try {
      state = temporal.newWorkflowStub(ConversationWorkflow.class, id).getState();
    } catch (WorkflowNotFoundException e) {
      throw ApiException.notFound("no conversation " + id);
    }
    owners.remember(id, state.customerId());
    authorise(ctx, state.customerId());
    return state;
  }

  /** The end user a {@code customer_app} call names (null for agents and admins, who need none). */
  private static String endUser(Context ctx) {
    if (Auth.principal(ctx).role() != Role.CUSTOMER_APP) {
      return null;
    }
    String endUser = ctx.header(Auth.END_USER_HEADER);
    if (endUser == null || endUser.isBlank()) {
      throw ApiException.badRequest("the " + Auth.END_USER_HEADER + " header must name the end user");
    }
    return endUser.strip();
  }

  /** Refuses a {@code customer_app} call for an end user other than the conversation's customer. */
  private static void authorise(Context ctx, String customerId) {
    String endUser = endUser(ctx);
    if (endUser != null && !endUser.equals(customerId)) {
      throw ApiException.forbidden("this conversation belongs to another customer");
    }
  }

  static ApiException translate(WorkflowUpdateException e) {
    FailureType type = FailureType.of(e).orElse(null);
    if (type == FailureType.CONVERSATION_CLOSED) {
      return ApiException.conflict("the conversation is closed");
    }
    if (type == FailureType.INVALID_MESSAGE) {
      return ApiException.badRequest("the message was rejected: empty, too long or without an id");
    }
    return new ApiException(503, "unavailable", "Service unavailable", "the message could not be answered; retry with the same messageId");
  }

  private <T> T body(Context ctx, Class<T> type) {
    String raw = ctx.body();
    if (raw.isBlank()) {
      throw ApiException.badRequest("a JSON body is required");
    }
    try {
      T value = json.readValue(raw, type);
      if (value == null) {
        throw ApiException.badRequest("a JSON object is required");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    }
  }
}
