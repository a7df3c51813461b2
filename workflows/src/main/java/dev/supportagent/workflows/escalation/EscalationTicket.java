package dev.supportagent.workflows.escalation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the agent gets when a conversation is handed over.
 *
 * @param escalationId {@code escalation-<conversationId>-<n>}, also the workflow id
 * @param reason machine-readable: {@code customer_request}, {@code guard}, {@code model_failure},
 *     {@code low_grounding}, {@code negative_feedback}
 * @param priority 1 (low) to {@link #MAX_PRIORITY}; rises when a service-level deadline passes
 * @param summary the conversation in a few lines, for the agent
 * @param documents the knowledge-base documents the bot cited in the conversation
 * @param createdAtMillis workflow time of the hand-over
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EscalationTicket(
    String escalationId,
    String conversationId,
    String customerId,
    String reason,
    int priority,
    String summary,
    List<String> documents,
    long createdAtMillis,
    EscalationSla sla) {

  public static final int MAX_PRIORITY = 5;

  public EscalationTicket {
    documents = documents == null ? List.of() : List.copyOf(documents);
  }
}
