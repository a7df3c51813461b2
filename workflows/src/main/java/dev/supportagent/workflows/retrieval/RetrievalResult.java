package dev.supportagent.workflows.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param passages best first
 * @param relevant whether the best passage clears the relevance threshold; when false the answer
 *     path declines instead of guessing
 * @param kbVersion the version of the knowledge base searched
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalResult(
    List<Passage> passages, boolean relevant, String kbVersion, long durationMs) {

  public RetrievalResult {
    passages = passages == null ? List.of() : List.copyOf(passages);
  }
}
