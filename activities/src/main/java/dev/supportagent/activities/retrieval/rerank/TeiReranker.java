package dev.supportagent.activities.retrieval.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Hugging Face Text Embeddings Inference serving a re-ranker, {@code POST /rerank} with {@code
 * {query, texts, truncate}}, answering {@code [{index, score}]}. The server serves one model, so
 * there is none to name; texts longer than the model reads are truncated rather than refused.
 */
public final class TeiReranker extends HttpReranker {

  public TeiReranker(String baseUrl, String apiKey, Duration timeout) {
    super("tei", baseUrl, "/rerank", apiKey, timeout);
  }

  @Override
  ObjectNode body(String query, List<String> texts) {
    ObjectNode body = JSON.createObjectNode().put("query", query);
    texts.forEach(body.putArray("texts")::add);
    return body.put("truncate", true).put("return_text", false);
  }

  @Override
  List<Scored> scores(JsonNode answer) throws RerankerException {
    return read(answer, "score", name());
  }
}
