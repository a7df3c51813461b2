package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.escalation.EscalationSla;
import java.util.List;
import java.util.Map;

/**
 * Input of {@link ConversationWorkflow#run}.
 *
 * @param conversationId the workflow id, {@code conversation-<uuid>}
 * @param customerId the end user the conversation belongs to
 * @param metadata free-form labels from the frontend (channel, locale...), never secrets
 * @param history earlier turns from another channel, imported as context
 * @param idleTimeoutSeconds the conversation closes after this long without a message
 * @param sla deadlines for a hand-over to a person; null for {@link EscalationSla#DEFAULT}
 * @param turnsPerRun turns one workflow run takes before it continues as new (0: the default)
 * @param carry set by the workflow when it continues as new; null when starting
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationStart(
    String conversationId,
    String customerId,
    Map<String, String> metadata,
    List<HistoryMessage> history,
    long idleTimeoutSeconds,
    EscalationSla sla,
    int turnsPerRun,
    ConversationCarry carry) {

  /** Default idle timeout: 30 minutes. */
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 30 * 60;

  public ConversationStart {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    history = history == null ? List.of() : List.copyOf(history);
    if (idleTimeoutSeconds <= 0) {
      idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
    }
    if (sla == null) {
      sla = EscalationSla.DEFAULT;
    }
  }

  public ConversationStart(
      String conversationId, String customerId, Map<String, String> metadata,
      List<HistoryMessage> history, long idleTimeoutSeconds) {
    this(conversationId, customerId, metadata, history, idleTimeoutSeconds, null, 0, null);
  }

  public ConversationStart(
      String conversationId, String customerId, Map<String, String> metadata,
      List<HistoryMessage> history, long idleTimeoutSeconds, EscalationSla sla) {
    this(conversationId, customerId, metadata, history, idleTimeoutSeconds, sla, 0, null);
  }

  /** The next run's input: the same settings, no history to import, and what is carried. */
  public ConversationStart continued(ConversationCarry next) {
    return new ConversationStart(conversationId, customerId, metadata, List.of(), idleTimeoutSeconds, sla, turnsPerRun, next);
  }
}
