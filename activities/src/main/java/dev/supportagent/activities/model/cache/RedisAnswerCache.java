package dev.supportagent.activities.model.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AnswerCache} in Redis, shared by every worker.
 *
 * <p>Per knowledge base version and prompt version (a "space", named by a hash of the two), three
 * keys sharing a hash tag, so a cluster keeps them on one slot:
 *
 * <ul>
 *   <li>{@code <prefix>{<space>}:answers}, a hash: question id ({@link QuestionNormalizer#id}) to
 *       the JSON of the normalised question and its {@link CachedAnswer};
 *   <li>{@code <prefix>{<space>}:vectors}, a hash: question id to the normalised question (UTF-8,
 *       after its length in 2 bytes) and its embedding as float32 (1,536 bytes for 384 dimensions);
 *   <li>{@code <prefix>{<space>}:order}, a sorted set: question id scored by when it was stored, in
 *       microseconds of the Redis server's clock (so the workers' clocks never need to agree), made
 *       unique and increasing.
 * </ul>
 *
 * A store is one Lua script: it removes the space's expired entries, writes the entry, evicts the
 * oldest beyond {@link AnswerCacheSettings#maxEntries()}, and sets the three keys to expire a time
 * to live after this last store, so an old knowledge base version's space disappears a day after
 * its last use. A lookup is one script too: the exact entry, if fresh, and the vectors stored after
 * the newest this worker has fetched (usually none), a page at a time. Each worker keeps those vectors in a {@link
 * VectorIndex} per space (for the last {@link #MIRRORED_SPACES} spaces it used) and scans it in
 * memory: Redis has no vector search module here, and sending a space's 15 MB of vectors with every
 * lookup would cost far more than the scan. A vector this worker has not seen yet only costs a
 * miss; one evicted in Redis is found missing when its answer is fetched, and dropped.
 *
 * <p>Redis errors are logged and make the lookup a miss or the store a no-op: an unavailable Redis
 * must not fail a turn. The client's own timeouts and retries bound how long that takes.
 */
public final class RedisAnswerCache extends NormalizedAnswerCache {

  private static final Logger log = LoggerFactory.getLogger(RedisAnswerCache.class);

  public static final String DEFAULT_PREFIX = "support:answer-cache:";
  static final int MIRRORED_SPACES = 4;
  /** Vectors sent per lookup round trip while a worker catches up with a space. */
  static final int SYNC_PAGE = 1_000;

  // KEYS: answers, vectors, order. ARGV: exact id ('' for none), the newest store time already
  // fetched (micros, or '-inf'), ttl micros, page size. Returns {now, exact JSON or nil, then id,
  // store time, vector for each entry stored after the given time, oldest first, a page of them}.
  private static final String LOOKUP =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local cutoff = now - tonumber(ARGV[3])
      local out = {string.format('%.0f', now), false}
      if ARGV[1] ~= '' then
        local s = redis.call('ZSCORE', KEYS[3], ARGV[1])
        if s and tonumber(s) >= cutoff then
          out[2] = redis.call('HGET', KEYS[1], ARGV[1])
        end
      end
      local since = string.format('%.0f', cutoff)
      if ARGV[2] ~= '-inf' and tonumber(ARGV[2]) >= cutoff then since = '(' .. ARGV[2] end
      local page = redis.call('ZRANGEBYSCORE', KEYS[3], since, '+inf', 'WITHSCORES', 'LIMIT', 0,
        tonumber(ARGV[4]))
      if #page > 0 then
        local ids = {}
        for i = 1, #page, 2 do ids[#ids + 1] = page[i] end
        local vectors = redis.call('HMGET', KEYS[2], unpack(ids))
        for i = 1, #ids do
          out[#out + 1] = ids[i]
          out[#out + 1] = page[2 * i]
          out[#out + 1] = vectors[i]
        end
      end
      return out
      """;

  // KEYS: answers, vectors, order. ARGV: id, answer JSON, vector, ttl micros, max entries, ttl ms.
  // Returns the store time in micros: the server's clock, but always after the space's newest
  // entry, so store times are unique and increase even if the clock steps back, and a lookup that
  // fetches what was stored after the newest time it has seen misses nothing.
  private static final String STORE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local top = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')
      if top[2] and tonumber(top[2]) >= now then now = tonumber(top[2]) + 1 end
      local cutoff = '(' .. string.format('%.0f', now - tonumber(ARGV[4]))
      local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', cutoff)
      for i = 1, #old do
        redis.call('HDEL', KEYS[1], old[i])
        redis.call('HDEL', KEYS[2], old[i])
      end
      if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff) end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
      redis.call('ZADD', KEYS[3], string.format('%.0f', now), ARGV[1])
      local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[5])
      if over > 0 then
        local popped = redis.call('ZPOPMIN', KEYS[3], over)
        for i = 1, #popped, 2 do
          redis.call('HDEL', KEYS[1], popped[i])
          redis.call('HDEL', KEYS[2], popped[i])
        end
      end
      for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[6]) end
      return now
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSON of an entry in the {@code answers} hash. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record StoredAnswer(String question, CachedAnswer answer) {}

  /** This worker's copy of a space's vectors. */
  private static final class Mirror {
    final VectorIndex index = new VectorIndex();
    final Map<String, String> questions = new ConcurrentHashMap<>();
    /** The newest store time fetched from Redis; a lookup fetches what was stored since. */
    final AtomicLong fetchedUpTo = new AtomicLong(Long.MIN_VALUE);

    void put(String id, long storedAt, String question, float[] vector) {
      questions.put(id, question);
      index.put(id, storedAt, vector);
    }

    void remove(String id) {
      index.remove(id);
      questions.remove(id);
    }

    void prune(long cutoff, int maxEntries) {
      index.removeStoredBefore(cutoff).forEach(questions::remove);
      index.evictOldest(maxEntries).forEach(questions::remove);
    }
  }

  private final RedissonClient redis;
  private final String prefix;
  private final Map<String, Mirror> mirrors =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mirror> eldest) {
          return size() > MIRRORED_SPACES;
        }
      };

  public RedisAnswerCache(RedissonClient redis, EmbeddingModel embeddings, Meter meter, AnswerCacheSettings settings) {
    this(redis, embeddings, meter, settings, DEFAULT_PREFIX);
  }

  /**
   * @param prefix prepended to every key, for example {@link #DEFAULT_PREFIX}
   */
  public RedisAnswerCache(
      RedissonClient redis, EmbeddingModel embeddings, Meter meter, AnswerCacheSettings settings, String prefix) {
    super(embeddings, meter, settings);
    this.redis = redis;
    this.prefix = prefix;
  }

  @Override
  Optional<CacheHit> lookup(String normalized, String kbVersion, String promptVersion) {
    String space = space(kbVersion, promptVersion);
    List<Object> keys = keys(space);
    Mirror mirror = mirror(space);
    long cutoff;
    try {
      String exactId = QuestionNormalizer.id(normalized);
      Synced synced = sync(keys, mirror, exactId);
      cutoff = synced.nowMicros() - micros(settings);
      if (synced.exact() != null) {
        StoredAnswer stored = JSON.readValue(synced.exact(), StoredAnswer.class);
        if (normalized.equals(stored.question())) {
          return Optional.of(new CacheHit(stored.answer(), CacheHit.Kind.EXACT, 1.0, stored.question()));
        }
      }
      mirror.prune(cutoff, settings.maxEntries());
    } catch (RuntimeException | IOException e) {
      log.warn("answer cache: lookup failed, treating it as a miss: {}", e.toString());
      return Optional.empty();
    }
    float[] vector = embed(normalized, "treating it as a miss");
    if (vector == null) {
      return Optional.empty();
    }
    for (VectorIndex.Match m :
        mirror.index.nearest(vector, settings.similarityThreshold(), InMemoryAnswerCache.CANDIDATES)) {
      String cached = mirror.questions.get(m.id());
      if (cached == null || m.storedAt() < cutoff || ContrastGuard.contrast(normalized, cached).isPresent()) {
        continue;
      }
      try {
        byte[] json = redis.<byte[], byte[]>getMap(keys.get(0).toString(), ByteArrayCodec.INSTANCE).get(bytes(m.id()));
        if (json == null) {
          mirror.remove(m.id());
          continue;
        }
        StoredAnswer stored = JSON.readValue(json, StoredAnswer.class);
        return Optional.of(new CacheHit(stored.answer(), CacheHit.Kind.SEMANTIC, m.similarity(), stored.question()));
      } catch (RuntimeException | IOException e) {
        log.warn("answer cache: cannot read a cached answer, treating it as a miss: {}", e.toString());
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private record Synced(long nowMicros, byte[] exact) {}

  /** Fetches the exact entry and the vectors stored since the mirror's last fetch. */
  private Synced sync(List<Object> keys, Mirror mirror, String exactId) {
    long now = 0;
    byte[] exact = null;
    String id = exactId;
    long fetched = mirror.fetchedUpTo.get();
    String since = fetched == Long.MIN_VALUE ? "-inf" : Long.toString(fetched);
    while (true) {
      List<Object> r =
          redis.getScript(ByteArrayCodec.INSTANCE)
              .eval(
                  RScript.Mode.READ_ONLY, LOOKUP, RScript.ReturnType.MULTI, keys,
                  bytes(id), bytes(since), bytes(Long.toString(micros(settings))), bytes(Integer.toString(SYNC_PAGE)));
      if (id.equals(exactId)) {
        now = Long.parseLong(text(r.get(0)));
        exact = (byte[]) r.get(1);
      }
      int entries = (r.size() - 2) / 3;
      long newest = Long.MIN_VALUE;
      for (int i = 2; i + 2 < r.size(); i += 3) {
        String entryId = text(r.get(i));
        long storedAt = (long) Double.parseDouble(text(r.get(i + 1)));
        newest = Math.max(newest, storedAt);
        byte[] value = (byte[]) r.get(i + 2);
        if (value != null) {
          Decoded d = decode(value);
          mirror.put(entryId, storedAt, d.question(), Vectors.unit(d.vector()));
        }
      }
      if (newest != Long.MIN_VALUE) {
        long n = newest;
        mirror.fetchedUpTo.accumulateAndGet(n, Math::max);
      }
      if (entries < SYNC_PAGE) {
        return new Synced(now, exact);
      }
      since = Long.toString(newest);
      id = "";
    }
  }

  @Override
  void store(String normalized, float[] vector, String kbVersion, String promptVersion, CachedAnswer answer) {
    String space = space(kbVersion, promptVersion);
    String id = QuestionNormalizer.id(normalized);
    try {
      Long storedAt =
          redis.getScript(ByteArrayCodec.INSTANCE)
              .eval(
                  RScript.Mode.READ_WRITE, STORE, RScript.ReturnType.INTEGER, keys(space),
                  bytes(id),
                  JSON.writeValueAsBytes(new StoredAnswer(normalized, answer)),
                  encode(normalized, vector),
                  bytes(Long.toString(micros(settings))),
                  bytes(Integer.toString(settings.maxEntries())),
                  bytes(Long.toString(settings.ttl().toMillis())));
      // this worker sees its own entry at once; fetchedUpTo stays, so others' are still fetched
      mirror(space).put(id, storedAt, normalized, vector);
    } catch (RuntimeException | JsonProcessingException e) {
      log.warn("answer cache: store failed, the answer is not cached: {}", e.toString());
    }
  }

  /** A question's value in the {@code vectors} hash: its length, its UTF-8, its float32 vector. */
  static byte[] encode(String question, float[] vector) {
    byte[] q = question.getBytes(StandardCharsets.UTF_8);
    if (q.length > Short.MAX_VALUE) {
      throw new IllegalArgumentException("question too long to cache: " + q.length + " bytes");
    }
    byte[] v = Vectors.toBytes(vector);
    return ByteBuffer.allocate(2 + q.length + v.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) q.length)
        .put(q)
        .put(v)
        .array();
  }

  record Decoded(String question, float[] vector) {}

  static Decoded decode(byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    int length = buffer.getShort();
    byte[] q = new byte[length];
    buffer.get(q);
    byte[] v = new byte[buffer.remaining()];
    buffer.get(v);
    return new Decoded(new String(q, StandardCharsets.UTF_8), Vectors.fromBytes(v));
  }

  private Mirror mirror(String space) {
    synchronized (mirrors) {
      return mirrors.computeIfAbsent(space, s -> new Mirror());
    }
  }

  /** The space's three keys: answers, vectors, order. */
  List<Object> keys(String space) {
    String base = prefix + "{" + space + "}:";
    List<Object> keys = new ArrayList<>(3);
    keys.add(base + "answers");
    keys.add(base + "vectors");
    keys.add(base + "order");
    return keys;
  }

  /** The space of a knowledge base version and prompt version: hex of 16 bytes of their SHA-256. */
  static String space(String kbVersion, String promptVersion) {
    return QuestionNormalizer.id(kbVersion + '\u0000' + promptVersion);
  }

  private static long micros(AnswerCacheSettings settings) {
    return settings.ttl().toNanos() / 1_000;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }
}
