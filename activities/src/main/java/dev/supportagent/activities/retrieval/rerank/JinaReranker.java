package dev.supportagent.activities.retrieval.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Jina's re-rank API, {@code POST /v1/rerank} with {@code {model, query, documents, top_n}},
 * answering {@code {results: [{index, relevance_score}]}}; documents are not sent back.
 */
public final class JinaReranker extends HttpReranker {

  public static final String DEFAULT_BASE_URL = "https://api.jina.ai";

  private final String model;

  public JinaReranker(String model, String baseUrl, String apiKey, Duration timeout) {
    super("jina:" + model, baseUrl == null ? DEFAULT_BASE_URL : baseUrl, "/v1/rerank", apiKey, timeout);
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
