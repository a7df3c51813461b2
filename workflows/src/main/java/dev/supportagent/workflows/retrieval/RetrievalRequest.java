package dev.supportagent.workflows.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param query the customer's (checked) question
 * @param context earlier messages of the conversation (both roles), most recent last, at most
 *     {@link #CONTEXT_MESSAGES}, to resolve references
 * @param topK how many passages to return at most
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalRequest(
    String conversationId, String turnId, String query, List<String> context, int topK) {

  /** How many earlier messages a conversation passes, and retrieval reads, as context. */
  public static final int CONTEXT_MESSAGES = 6;

  public RetrievalRequest {
    context = context == null ? List.of() : List.copyOf(context);
  }
}
