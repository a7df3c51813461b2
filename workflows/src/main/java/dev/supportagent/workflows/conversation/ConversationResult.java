package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Result of a finished conversation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationResult(String conversationId, int turnCount, String closedReason) {}
