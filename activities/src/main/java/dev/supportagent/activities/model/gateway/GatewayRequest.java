package dev.supportagent.activities.model.gateway;

import java.util.List;
import java.util.Objects;

/**
 * What to ask a model: a system prompt, the conversation ending with the user's message, and the
 * output limit.
 *
 * @param systemPrompt instructions, or null
 * @param messages the conversation, oldest first, ending with a {@link Role#USER} message
 * @param maxTokens the most output tokens the model may generate
 * @param temperature sampling temperature, or null for the provider's default
 */
public record GatewayRequest(
    String systemPrompt, List<Message> messages, int maxTokens, Double temperature) {

  public static final int DEFAULT_MAX_TOKENS = 1024;

  public enum Role {
    USER,
    ASSISTANT
  }

  public record Message(Role role, String text) {
    public Message {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(text, "text");
    }
  }

  public GatewayRequest {
    messages = List.copyOf(messages);
    if (messages.isEmpty() || messages.get(messages.size() - 1).role() != Role.USER) {
      throw new IllegalArgumentException("a request's messages must end with a user message");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
    }
  }

  /** A single question under a system prompt. */
  public static GatewayRequest of(String systemPrompt, String userPrompt, int maxTokens) {
    return new GatewayRequest(systemPrompt, List.of(new Message(Role.USER, userPrompt)), maxTokens, null);
  }

  /** The last user message. */
  public String userPrompt() {
    return messages.get(messages.size() - 1).text();
  }
}
