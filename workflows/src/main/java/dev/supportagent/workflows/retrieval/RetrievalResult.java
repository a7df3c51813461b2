package dev.supportagent.workflows.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param passages best first
 * @param relevant whether the best passage clears the relevance threshold; when false the answer
 *     path declines instead of guessing
 * @param kbVersion the version of the knowledge base searched
 * @param bestScore the best passage's vector similarity (Elasticsearch's cosine score, 0 to 1), the
 *     retrieval confidence the relevance threshold and the model router read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrievalResult(
    List<Passage> passages, boolean relevant, String kbVersion, long durationMs, double bestScore,
    long endedAtMs) {

  public RetrievalResult {
    passages = passages == null ? List.of() : List.copyOf(passages);
  }

  public RetrievalResult(
      List<Passage> passages, boolean relevant, String kbVersion, long durationMs, double bestScore) {
    this(passages, relevant, kbVersion, durationMs, bestScore, 0);
  }

  public RetrievalResult(List<Passage> passages, boolean relevant, String kbVersion, long durationMs) {
    this(passages, relevant, kbVersion, durationMs, relevant ? 1.0 : 0.0);
  }
}
