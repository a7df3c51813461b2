package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A customer's message. {@code messageId} is the client's idempotency key and the update id. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserTurn(String messageId, String text) {

  /** Longest message accepted, in characters. */
  public static final int MAX_TEXT_CHARS = 4000;
}
