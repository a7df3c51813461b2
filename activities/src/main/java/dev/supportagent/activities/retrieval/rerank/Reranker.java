package dev.supportagent.activities.retrieval.rerank;

import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;

/**
 * Scores passages against a query with a cross-encoder (a re-ranking model), which reads the query
 * and each passage together and so judges relevance better than the retrieval's vectors and word
 * counts. Implementations call a re-ranking service: {@link CohereReranker}, {@link JinaReranker},
 * {@link TeiReranker}.
 */
public interface Reranker {

  /** A passage's position in the list given to {@link #rerank} and its relevance score. */
  record Scored(int index, double score) {}

  /**
   * Scores every passage against the query. Makes one request and never retries (a failure falls
   * back to the fused order, {@link RerankingRetriever}). Idempotent: it changes nothing.
   *
   * @param passages the passages, each read as its title, section and text
   * @return one entry per passage, best first; higher scores are more relevant
   * @throws RerankerException on a timeout, a connection error, an error status or an answer that
   *     does not score each passage once
   */
  List<Scored> rerank(String query, List<Passage> passages) throws RerankerException;

  /** The provider and model, for logs and metrics: {@code cohere:rerank-english-v3.0}. */
  String name();

  /** A re-ranking that did not happen. */
  final class RerankerException extends Exception {
    public RerankerException(String message) {
      super(message);
    }

    public RerankerException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
