package dev.supportagent.workflows.escalation;

import dev.supportagent.workflows.ActivityDefaults;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.conversation.ConversationWorkflow;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

public class EscalationWorkflowImpl implements EscalationWorkflow {

  public static final String WAIT_TEXT =
      "Thanks for your patience: your conversation is still with our support team, and it now has a"
          + " higher priority. Someone will answer here as soon as possible.";

  private final EscalationActivities activities =
      Workflow.newActivityStub(EscalationActivities.class, ActivityDefaults.ESCALATION);

  private EscalationTicket ticket;
  private EscalationStatus status = EscalationStatus.OPEN;
  private int priority;
  private String agentId;
  private final List<String> breaches = new ArrayList<>();
  private long firstResponseAt;
  private boolean handedBack;
  private String resolution;
  private int customerMessages;

  @Override
  public EscalationView run(EscalationTicket ticket) {
    this.ticket = ticket;
    this.priority = ticket.priority();
    ConversationWorkflow conversation =
        Workflow.newExternalWorkflowStub(ConversationWorkflow.class, ticket.conversationId());
    try {
      activities.publish(getView());
      activities.notify("created", getView());
      String outOfHours = outOfHoursNotice(ticket.sla().businessHours(), Workflow.currentTimeMillis());
      if (outOfHours != null) {
        conversation.escalationNotice(outOfHours);
      }
      Duration firstResponse = Duration.ofSeconds(ticket.sla().firstResponseSeconds());
      if (!Workflow.await(firstResponse, () -> firstResponseAt > 0 || status == EscalationStatus.RESOLVED)) {
        breach("first_response", conversation);
      }
      long resolveBy = ticket.createdAtMillis() + ticket.sla().resolutionSeconds() * 1000;
      Duration left = Duration.ofMillis(Math.max(0, resolveBy - Workflow.currentTimeMillis()));
      if (!Workflow.await(left, () -> status == EscalationStatus.RESOLVED)) {
        breach("resolution", conversation);
        Workflow.await(() -> status == EscalationStatus.RESOLVED);
      }
      Workflow.await(Workflow::isEveryHandlerFinished);
      activities.retire(getView());
      activities.notify("resolved", getView());
      return getView();
    } catch (CanceledFailure e) {
      // the conversation closed: take the ticket out of the queue, whatever happens to this scope
      status = EscalationStatus.RESOLVED;
      resolution = "conversation closed";
      CancellationScope cleanup = Workflow.newDetachedCancellationScope(() -> activities.retire(getView()));
      cleanup.run();
      throw e;
    }
  }

  private void breach(String kind, ConversationWorkflow conversation) {
    breaches.add(kind);
    priority = Math.min(EscalationTicket.MAX_PRIORITY, priority + 1);
    activities.publish(getView());
    activities.notify(kind + "_breached", getView());
    conversation.escalationNotice(WAIT_TEXT);
  }

  /** When agents work only some hours (UTC) and now is outside them: what to tell the customer. */
  static String outOfHoursNotice(String businessHours, long nowMillis) {
    if (businessHours == null || businessHours.isBlank()) {
      return null;
    }
    String[] hours = businessHours.strip().split("-");
    int open = Integer.parseInt(hours[0]);
    int close = Integer.parseInt(hours[1]);
    int hour = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).getHour();
    boolean working = open <= close ? hour >= open && hour < close : hour >= open || hour < close;
    if (working) {
      return null;
    }
    return String.format(
        "Our support team works from %02d:00 to %02d:00 UTC. Your conversation is in their queue,"
            + " and someone will answer here after %02d:00 UTC.", open, close, open);
  }

  @Override
  public void validateClaim(AgentAction action) {
    requireAgent(action == null ? null : action.agentId());
    if (status == EscalationStatus.RESOLVED) {
      throw FailureType.ESCALATION_RESOLVED.failure("the escalation is resolved");
    }
    if (agentId != null && !agentId.equals(action.agentId())) {
      throw FailureType.ESCALATION_CLAIMED.failure("the escalation is claimed by another agent");
    }
  }

  @Override
  public EscalationView claim(AgentAction action) {
    if (agentId == null) {
      agentId = action.agentId();
      status = EscalationStatus.CLAIMED;
      activities.publish(getView());
    }
    return getView();
  }

  @Override
  public void validateReply(AgentAction action) {
    requireClaimingAgent(action == null ? null : action.agentId());
    if (action.text() == null || action.text().isBlank() || action.text().length() > 4000) {
      throw FailureType.INVALID_MESSAGE.failure("a reply needs a text of 1 to 4000 characters");
    }
  }

  @Override
  public EscalationView reply(AgentAction action) {
    if (firstResponseAt == 0) {
      firstResponseAt = Workflow.currentTimeMillis();
    }
    Workflow.newExternalWorkflowStub(ConversationWorkflow.class, ticket.conversationId())
        .humanReply(new AgentAction(action.agentId(), action.text().strip()));
    return getView();
  }

  @Override
  public void validateResolve(Resolution r) {
    requireClaimingAgent(r == null ? null : r.agentId());
  }

  @Override
  public EscalationView resolve(Resolution r) {
    status = EscalationStatus.RESOLVED;
    handedBack = r.handBack();
    resolution = r.resolution();
    Workflow.newExternalWorkflowStub(ConversationWorkflow.class, ticket.conversationId())
        .escalationResolved(r);
    return getView();
  }

  @Override
  public void conversationClosed(String reason) {
    if (status != EscalationStatus.RESOLVED) {
      status = EscalationStatus.RESOLVED;
      resolution = "conversation closed: " + reason;
    }
  }

  @Override
  public void customerMessage(String text) {
    customerMessages++;
  }

  @Override
  public EscalationView getView() {
    return new EscalationView(ticket, status, priority, agentId, breaches, firstResponseAt, handedBack, resolution);
  }

  private static void requireAgent(String agentId) {
    if (agentId == null || agentId.isBlank()) {
      throw FailureType.INVALID_MESSAGE.failure("agentId is required");
    }
  }

  private void requireClaimingAgent(String agent) {
    requireAgent(agent);
    if (status == EscalationStatus.RESOLVED) {
      throw FailureType.ESCALATION_RESOLVED.failure("the escalation is resolved");
    }
    if (!agent.equals(agentId)) {
      throw FailureType.NOT_CLAIMING_AGENT.failure("only the agent who claimed the escalation can do this");
    }
  }
}
