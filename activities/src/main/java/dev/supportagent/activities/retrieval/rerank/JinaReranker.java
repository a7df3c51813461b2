package dev.supportagent.activities.retrieval.rerank;

import java.time.Duration;

/**
 * Jina's re-rank API: Cohere's request and answer ({@link CohereReranker}) at {@code
 * api.jina.ai}; documents are not sent back.
 */
public final class JinaReranker extends CohereReranker {

  public static final String DEFAULT_BASE_URL = "https://api.jina.ai";

  public JinaReranker(String model, String baseUrl, String apiKey, Duration timeout) {
    super("jina", DEFAULT_BASE_URL, model, baseUrl, apiKey, timeout);
  }
}
