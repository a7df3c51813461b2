package dev.supportagent.activities.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's embedding model for turns, remembering the last texts it embedded: a turn's input
 * guard embeds the customer's message, and retrieval, on the same worker moments later, embeds the
 * same text again, so the second is served from memory. A few hundred short texts (one vector each,
 * 1.5 KB); documents are embedded by the ingestion's own model, not through this.
 */
public final class TurnEmbeddings implements EmbeddingModel {

  static final int KEPT = 512;

  private final EmbeddingModel model;
  private final Map<String, Embedding> recent =
      new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
          return size() > KEPT;
        }
      };

  public TurnEmbeddings(EmbeddingModel model) {
    this.model = model;
  }

  @Override
  public Response<Embedding> embed(String text) {
    synchronized (recent) {
      Embedding known = recent.get(text);
      if (known != null) {
        return Response.from(known);
      }
    }
    Embedding computed = model.embed(text).content();
    synchronized (recent) {
      recent.put(text, computed);
    }
    return Response.from(computed);
  }

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    return model.embedAll(segments);
  }

  @Override
  public int dimension() {
    return model.dimension();
  }
}
