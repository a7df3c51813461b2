package dev.supportagent.workflows.escalation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An escalation as the queue and the agent console show it.
 *
 * @param priority the current priority (the ticket's, raised by breaches)
 * @param agentId the agent who claimed it, or null
 * @param breaches the deadlines missed: {@code first_response}, {@code resolution}
 * @param firstResponseAtMillis when the agent first replied, or 0
 * @param handedBack when resolved: whether the bot took the conversation back
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EscalationView(
    EscalationTicket ticket,
    EscalationStatus status,
    int priority,
    String agentId,
    List<String> breaches,
    long firstResponseAtMillis,
    boolean handedBack,
    String resolution) {

  public EscalationView {
    breaches = breaches == null ? List.of() : List.copyOf(breaches);
  }
}
