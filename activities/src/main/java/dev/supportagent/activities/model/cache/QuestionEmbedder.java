package dev.supportagent.activities.model.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embeds normalised questions with the shared embedding model, remembering the last few: a turn
 * that misses the cache embeds its question once for the lookup and the store that follows.
 */
final class QuestionEmbedder {

  static final int REMEMBERED = 512;

  private final EmbeddingModel model;
  private final Map<String, float[]> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > REMEMBERED;
        }
      };

  QuestionEmbedder(EmbeddingModel model) {
    this.model = model;
  }

  /** The unit-length embedding of a normalised question. */
  float[] embed(String normalized) {
    synchronized (recent) {
      float[] v = recent.get(normalized);
      if (v != null) {
        return v;
      }
    }
    // outside the lock: embedding takes milliseconds and the model is thread-safe
    float[] v = Vectors.unit(model.embed(normalized).content().vector());
    synchronized (recent) {
      recent.put(normalized, v);
    }
    return v;
  }
}
