package dev.supportagent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.conversation.ConversationState;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import dev.supportagent.workflows.escalation.AgentAction;
import dev.supportagent.workflows.escalation.EscalationStatus;
import dev.supportagent.workflows.escalation.EscalationView;
import dev.supportagent.workflows.escalation.EscalationWorkflow;
import dev.supportagent.workflows.escalation.Resolution;
import io.javalin.http.Context;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The human agents' side: the queue (most urgent first, filtered by status and searched by text),
 * one escalation with its conversation, and claim, reply and resolve, which are validated updates
 * of the {@code EscalationWorkflow}.
 */
public final class EscalationController {

  static final int MAX_LISTED = 200;
  private static final Pattern ESCALATION_ID =
      Pattern.compile("escalation-conversation-[0-9a-f-]{36}-[0-9]{1,4}");
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  record AgentBody(String agentId, String text, String resolution, Boolean handBack) {}

  /** An escalation and its conversation, for the console. */
  record Detail(EscalationView escalation, ConversationState conversation) {}

  private final WorkflowClient temporal;
  private final EscalationQueue queue;
  private final ObjectMapper json;
  private final ApiMetrics metrics;

  public EscalationController(WorkflowClient temporal, EscalationQueue queue, ObjectMapper json, ApiMetrics metrics) {
    this.temporal = temporal;
    this.queue = queue;
    this.json = json;
    this.metrics = metrics;
  }

  public void list(Context ctx) {
    String status = ctx.queryParam("status");
    EscalationStatus wanted = null;
    if (status != null && !status.isBlank()) {
      try {
        wanted = EscalationStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("status must be OPEN or CLAIMED (resolved ones leave the queue)");
      }
    }
    String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip().toLowerCase(Locale.ROOT);
    EscalationStatus filter = wanted;
    List<EscalationView> views =
        queue.open(MAX_LISTED).stream()
            .filter(v -> filter == null || v.status() == filter)
            .filter(v -> q.isEmpty() || searchable(v).contains(q))
            .toList();
    ctx.json(java.util.Map.of("escalations", views));
  }

  private static String searchable(EscalationView v) {
    return String.join(" ", v.ticket().escalationId(), v.ticket().customerId(), v.ticket().reason(),
            v.ticket().summary(), v.agentId() == null ? "" : v.agentId())
        .toLowerCase(Locale.ROOT);
  }

  public void get(Context ctx) {
    EscalationView view = call(ctx, () -> stub(ctx).getView());
    ConversationState conversation =
        temporal.newWorkflowStub(ConversationWorkflow.class, view.ticket().conversationId()).getState();
    ctx.json(new Detail(view, conversation));
  }

  public void claim(Context ctx) {
    AgentBody body = body(ctx);
    ctx.json(call(ctx, () -> stub(ctx).claim(new AgentAction(agent(ctx, body), null))));
    metrics.recordEscalationAction("claim");
  }

  public void reply(Context ctx) {
    AgentBody body = body(ctx);
    if (body.text() == null || body.text().isBlank()) {
      throw ApiException.badRequest("text is required");
    }
    ctx.json(call(ctx, () -> stub(ctx).reply(new AgentAction(agent(ctx, body), body.text()))));
    metrics.recordEscalationAction("reply");
  }

  public void resolve(Context ctx) {
    AgentBody body = body(ctx);
    Resolution r = new Resolution(agent(ctx, body), body.resolution(), Boolean.TRUE.equals(body.handBack()));
    ctx.json(call(ctx, () -> stub(ctx).resolve(r)));
    metrics.recordEscalationAction("resolve");
  }

  /** The acting agent: the body's {@code agentId}, else the key's name. */
  private static String agent(Context ctx, AgentBody body) {
    String id = body.agentId() == null || body.agentId().isBlank() ? Auth.principal(ctx).keyName() : body.agentId().strip();
    if (!AGENT_ID.matcher(id).matches()) {
      throw ApiException.badRequest("agentId must be 1 to 64 letters, digits or ._@-");
    }
    return id;
  }

  private EscalationWorkflow stub(Context ctx) {
    String id = ctx.pathParam("id");
    if (!ESCALATION_ID.matcher(id).matches()) {
      throw ApiException.notFound("no escalation " + id);
    }
    return temporal.newWorkflowStub(EscalationWorkflow.class, id);
  }

  private <T> T call(Context ctx, Supplier<T> action) {
    try {
      return action.get();
    } catch (WorkflowNotFoundException e) {
      throw missingOrFinished(ctx);
    } catch (WorkflowUpdateException e) {
      throw translate(e);
    } catch (io.temporal.client.WorkflowServiceException e) {
      if (e.getCause() instanceof io.grpc.StatusRuntimeException s
          && s.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        throw missingOrFinished(ctx);
      }
      throw e;
    }
  }

  /** 409 for an escalation whose workflow has finished (resolved), 404 for one that never was. */
  private ApiException missingOrFinished(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      temporal.newUntypedWorkflowStub(id).describe();
      return ApiException.conflict("the escalation is resolved");
    } catch (RuntimeException notThere) {
      return ApiException.notFound("no escalation " + id);
    }
  }

  static ApiException translate(Exception e) {
    FailureType type = FailureType.of(e).orElse(null);
    if (type == null) {
      return new ApiException(503, "unavailable", "Service unavailable", "the escalation could not be updated; retry");
    }
    return switch (type) {
      case ESCALATION_CLAIMED -> ApiException.conflict("another agent has claimed this escalation");
      case ESCALATION_RESOLVED -> ApiException.conflict("the escalation is resolved");
      case NOT_CLAIMING_AGENT -> ApiException.forbidden("only the agent who claimed the escalation can do this");
      case INVALID_MESSAGE -> ApiException.badRequest("the request was rejected: an agentId and a text of 1 to 4000 characters are needed");
      default -> new ApiException(503, "unavailable", "Service unavailable", "the escalation could not be updated; retry");
    };
  }

  private AgentBody body(Context ctx) {
    String raw = ctx.body();
    if (raw.isBlank()) {
      return new AgentBody(null, null, null, null);
    }
    try {
      AgentBody b = json.readValue(raw, AgentBody.class);
      return b == null ? new AgentBody(null, null, null, null) : b;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON");
    }
  }
}
