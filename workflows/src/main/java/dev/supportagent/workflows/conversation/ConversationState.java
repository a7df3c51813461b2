package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What {@link ConversationWorkflow#getState()} returns: status and the recent transcript (roles
 * {@code user}, {@code agent} for the bot, {@code human_agent} and {@code system}).
 *
 * @param escalationId the current or last escalation's id (its workflow id), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationState(
    String conversationId,
    String customerId,
    ConversationStatus status,
    int turnCount,
    String closedReason,
    List<TranscriptEntry> transcript,
    String escalationId) {

  public ConversationState {
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
  }

  public ConversationState(
      String conversationId, String customerId, ConversationStatus status, int turnCount,
      String closedReason, List<TranscriptEntry> transcript) {
    this(conversationId, customerId, status, turnCount, closedReason, transcript, null);
  }
}
