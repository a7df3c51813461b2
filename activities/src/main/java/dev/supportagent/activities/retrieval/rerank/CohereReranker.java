package dev.supportagent.activities.retrieval.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Cohere's re-rank API, {@code POST /v1/rerank} with {@code {model, query, documents, top_n}},
 * answering {@code {results: [{index, relevance_score}]}}; Jina's follows it ({@link JinaReranker}).
 */
public class CohereReranker extends HttpReranker {

  public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

  private final String model;

  public CohereReranker(String model, String baseUrl, String apiKey, Duration timeout) {
    this("cohere", DEFAULT_BASE_URL, model, baseUrl, apiKey, timeout);
  }

  /** A provider speaking the same API at {@code defaultBaseUrl} unless {@code baseUrl} is given. */
  CohereReranker(String provider, String defaultBaseUrl, String model, String baseUrl, String apiKey, Duration timeout) {
    super(provider + ":" + model, baseUrl == null ? defaultBaseUrl : baseUrl, "/v1/rerank", apiKey, timeout);
    this.model = model;
  }

  @Override
  ObjectNode body(String query, List<String> texts) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("query", query);
    texts.forEach(body.putArray("documents")::add);
    return body.put("top_n", texts.size()).put("return_documents", false);
  }

  @Override
  List<Scored> scores(JsonNode answer) throws RerankerException {
    return read(answer.get("results"), "relevance_score", name());
  }
}
