package dev.supportagent.activities.model.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.opentelemetry.api.metrics.Meter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AnswerCache} in the process's memory, with the same layers, expiry and eviction as
 * {@link RedisAnswerCache}: for tests, for the evaluation, and for a single worker without Redis.
 */
public final class InMemoryAnswerCache extends NormalizedAnswerCache {

  private static final Logger log = LoggerFactory.getLogger(InMemoryAnswerCache.class);
  static final int CANDIDATES = 3;

  private record Entry(String question, CachedAnswer answer, long storedAtMillis) {}

  /** The entries of one knowledge base version and prompt version. */
  private static final class Space {
    final Map<String, Entry> entries = new HashMap<>();
    final VectorIndex index = new VectorIndex();
    long lastStoreMillis;
  }

  private final LongSupplier clockMillis;
  private final Map<String, Space> spaces = new HashMap<>();

  public InMemoryAnswerCache(EmbeddingModel embeddings, Meter meter, AnswerCacheSettings settings) {
    this(embeddings, meter, settings, System::currentTimeMillis);
  }

  /** With a clock of its own, in milliseconds, for tests of expiry. */
  public InMemoryAnswerCache(
      EmbeddingModel embeddings, Meter meter, AnswerCacheSettings settings, LongSupplier clockMillis) {
    super(embeddings, meter, settings);
    this.clockMillis = clockMillis;
  }

  @Override
  Optional<CacheHit> lookup(String normalized, String kbVersion, String promptVersion) {
    Space space;
    synchronized (spaces) {
      space = spaces.get(spaceKey(kbVersion, promptVersion));
    }
    if (space == null) {
      return Optional.empty();
    }
    long cutoff = clockMillis.getAsLong() - settings.ttl().toMillis();
    synchronized (space) {
      Entry exact = space.entries.get(QuestionNormalizer.id(normalized));
      if (exact != null && exact.storedAtMillis() >= cutoff && exact.question().equals(normalized)) {
        return Optional.of(new CacheHit(exact.answer(), CacheHit.Kind.EXACT, 1.0, exact.question()));
      }
    }
    float[] vector = embed(normalized, "treating it as a miss");
    if (vector == null) {
      return Optional.empty();
    }
    for (VectorIndex.Match m : space.index.nearest(vector, settings.similarityThreshold(), CANDIDATES)) {
      synchronized (space) {
        Entry e = space.entries.get(m.id());
        if (e != null
            && e.storedAtMillis() >= cutoff
            && ContrastGuard.contrast(normalized, e.question()).isEmpty()) {
          return Optional.of(new CacheHit(e.answer(), CacheHit.Kind.SEMANTIC, m.similarity(), e.question()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  void store(String normalized, float[] vector, String kbVersion, String promptVersion, CachedAnswer answer) {
    long now = clockMillis.getAsLong();
    long cutoff = now - settings.ttl().toMillis();
    Space space;
    synchronized (spaces) {
      // old versions' entries expire as a whole
      for (Iterator<Space> it = spaces.values().iterator(); it.hasNext(); ) {
        Space s = it.next();
        synchronized (s) {
          if (s.lastStoreMillis < cutoff) {
            it.remove();
          }
        }
      }
      space = spaces.computeIfAbsent(spaceKey(kbVersion, promptVersion), k -> new Space());
    }
    String id = QuestionNormalizer.id(normalized);
    synchronized (space) {
      space.entries.put(id, new Entry(normalized, answer, now));
      space.index.put(id, now, vector);
      space.lastStoreMillis = now;
      space.index.removeStoredBefore(cutoff).forEach(space.entries::remove);
      space.index.evictOldest(settings.maxEntries()).forEach(space.entries::remove);
    }
  }

  /** Entries held for the two versions, expired ones not yet removed included. */
  int size(String kbVersion, String promptVersion) {
    synchronized (spaces) {
      Space s = spaces.get(spaceKey(kbVersion, promptVersion));
      return s == null ? 0 : s.index.size();
    }
  }

  private static String spaceKey(String kbVersion, String promptVersion) {
    return kbVersion + '\u0000' + promptVersion;
  }
}
