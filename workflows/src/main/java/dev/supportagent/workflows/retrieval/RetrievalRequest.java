package dev.supportagent.workflows.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param query the customer's (checked) question
 * @param context earlier customer messages, most recent last, to resolve references
 * @param topK how many passages to return at most
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalRequest(
    String conversationId, String turnId, String query, List<String> context, int topK) {

  public RetrievalRequest {
    context = context == null ? List.of() : List.copyOf(context);
  }
}
