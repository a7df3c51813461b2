package dev.supportagent.workflows.answer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;

/**
 * @param messageId the customer message being answered: the answer's tokens are streamed under it
 *     ({@link AnswerStreams}); null for callers that do not stream
 * @param passages what retrieval found, best first
 * @param relevant whether retrieval found anything relevant; when false the answerer declines
 * @param conversation the messages before the question, oldest first (roles {@code user} and
 *     {@code agent}), so a model can resolve references to them
 * @param earlierFailures turns in a row, just before this one, whose model call failed or fell
 *     back; the router sends a turn after failures to the strong tier
 * @param kbVersion the knowledge-base version the passages came from (answer cache key)
 * @param retrievalScore the best passage's vector similarity, 0 to 1 (the router's confidence)
 * @param customerContext summaries of the customer's recent earlier conversations, newest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnswerRequest(
    String conversationId,
    String turnId,
    String question,
    List<Passage> passages,
    boolean relevant,
    String messageId,
    List<HistoryMessage> conversation,
    int earlierFailures,
    String kbVersion,
    double retrievalScore,
    List<String> customerContext) {

  public AnswerRequest {
    passages = passages == null ? List.of() : List.copyOf(passages);
    conversation = conversation == null ? List.of() : List.copyOf(conversation);
    customerContext = customerContext == null ? List.of() : List.copyOf(customerContext);
  }

  public AnswerRequest(
      String conversationId, String turnId, String question, List<Passage> passages, boolean relevant,
      String messageId, List<HistoryMessage> conversation, int earlierFailures, String kbVersion,
      double retrievalScore) {
    this(conversationId, turnId, question, passages, relevant, messageId, conversation, earlierFailures,
        kbVersion, retrievalScore, List.of());
  }

  public AnswerRequest(
      String conversationId, String turnId, String question, List<Passage> passages, boolean relevant) {
    this(conversationId, turnId, question, passages, relevant, null, List.of(), 0, null, relevant ? 1 : 0);
  }
}
