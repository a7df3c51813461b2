package dev.supportagent.activities.model.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.opentelemetry.api.metrics.Meter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the answer caches share: questions are normalised before anything else (an empty one, or
 * a missing version, is a miss and is not stored), every lookup is counted, and a question the
 * embedding model cannot embed is a miss rather than an error. Subclasses keep the entries.
 */
abstract class NormalizedAnswerCache implements AnswerCache {

  private static final Logger log = LoggerFactory.getLogger(NormalizedAnswerCache.class);

  final QuestionEmbedder embedder;
  final AnswerCacheMetrics metrics;
  final AnswerCacheSettings settings;

  NormalizedAnswerCache(EmbeddingModel embeddings, Meter meter, AnswerCacheSettings settings) {
    this.embedder = new QuestionEmbedder(embeddings);
    this.metrics = new AnswerCacheMetrics(meter);
    this.settings = settings;
  }

  public AnswerCacheSettings settings() {
    return settings;
  }

  @Override
  public final Optional<CacheHit> find(String question, String kbVersion, String promptVersion) {
    String normalized = QuestionNormalizer.normalize(question);
    if (normalized.isEmpty() || kbVersion == null || promptVersion == null) {
      return metrics.record(Optional.empty());
    }
    return metrics.record(lookup(normalized, kbVersion, promptVersion));
  }

  @Override
  public final void store(String question, String kbVersion, String promptVersion, CachedAnswer answer) {
    String normalized = QuestionNormalizer.normalize(question);
    if (normalized.isEmpty() || kbVersion == null || promptVersion == null || answer == null) {
      return;
    }
    float[] vector = embed(normalized, "not storing it");
    if (vector != null) {
      store(normalized, vector, kbVersion, promptVersion, answer);
    }
  }

  /** The question's embedding, or null (logged, with {@code otherwise}) when the model fails. */
  final float[] embed(String normalized, String otherwise) {
    try {
      return embedder.embed(normalized);
    } catch (RuntimeException e) {
      log.warn("answer cache: cannot embed the question, {}: {}", otherwise, e.toString());
      return null;
    }
  }

  /** The hit for a normalised question, exact first, then semantic. */
  abstract Optional<CacheHit> lookup(String normalized, String kbVersion, String promptVersion);

  /** Keeps the answer of a normalised question whose embedding is {@code vector}. */
  abstract void store(String normalized, float[] vector, String kbVersion, String promptVersion, CachedAnswer answer);
}
