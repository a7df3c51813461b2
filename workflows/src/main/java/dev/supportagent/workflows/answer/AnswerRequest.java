package dev.supportagent.workflows.answer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;

/**
 * @param relevant whether retrieval found anything relevant; when false the answerer declines
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnswerRequest(
    String conversationId,
    String turnId,
    String question,
    List<Passage> passages,
    boolean relevant) {

  public AnswerRequest {
    passages = passages == null ? List.of() : List.copyOf(passages);
  }
}
