package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What {@link ConversationWorkflow#getState()} returns: status and the recent transcript. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationState(
    String conversationId,
    String customerId,
    ConversationStatus status,
    int turnCount,
    String closedReason,
    List<TranscriptEntry> transcript) {

  public ConversationState {
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
  }
}
