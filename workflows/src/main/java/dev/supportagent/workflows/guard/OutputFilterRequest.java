package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param text the reply to check
 * @param customerMessages the customer's recent messages: personal data they gave is theirs to see
 * @param passages the retrieved passages' texts: what the help centre publishes is not a leak
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputFilterRequest(
    String conversationId, String turnId, String text, List<String> customerMessages, List<String> passages) {

  public OutputFilterRequest {
    customerMessages = customerMessages == null ? List.of() : List.copyOf(customerMessages);
    passages = passages == null ? List.of() : List.copyOf(passages);
  }

  public OutputFilterRequest(String conversationId, String turnId, String text) {
    this(conversationId, turnId, text, List.of(), List.of());
  }
}
