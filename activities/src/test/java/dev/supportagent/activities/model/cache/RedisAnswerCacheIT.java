package dev.supportagent.activities.model.cache;

import dev.supportagent.activities.testing.TestRedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.testing.IntegrationEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The answer cache on the real Redis, shared by two "workers" (two cache instances). */
class RedisAnswerCacheIT {

  static final String KB = "kb-chunks-1a2b@278@1764240000000";
  static final String PROMPT = "offline-v1";
  static final String QUESTION = "how do I cancel my subscription";
  static final CachedAnswer ANSWER =
      new CachedAnswer(
          "Go to Settings > Billing > Plan and tap Cancel subscription. [1]",
          List.of(new Citation("billing/change-or-cancel-plan.md", "Change or cancel your plan", null, "Cancel your subscription")),
          "offline-extractive",
          "offline");
  static final AnswerCacheSettings SETTINGS =
      AnswerCacheSettings.DEFAULT.withSimilarityThreshold(0.9).withTtl(Duration.ofMinutes(5));

  static RedissonClient redis;
  FakeEmbeddings embeddings;
  LookupCounter lookups;
  String prefix;

  static RedissonClient connect() {
    return TestRedis.connect();
  }

  @BeforeAll
  static void start() {
    redis = connect();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.getKeys().deleteByPattern("it:answer-cache:*");
      redis.shutdown();
    }
  }

  @BeforeEach
  void fresh() {
    prefix = "it:answer-cache:" + UUID.randomUUID() + ":";
    embeddings = new FakeEmbeddings();
    lookups = new LookupCounter();
  }

  RedisAnswerCache worker(AnswerCacheSettings settings) {
    return new RedisAnswerCache(redis, embeddings, lookups.meter(), settings, prefix);
  }

  @Test
  void should_answer_the_same_question_exactly_on_another_worker() {
    worker(SETTINGS).store("How do I cancel my subscription?", KB, PROMPT, ANSWER);

    Optional<CacheHit> hit = worker(SETTINGS).find("how do i cancel my subscription", KB, PROMPT);

    assertEquals(CacheHit.Kind.EXACT, hit.orElseThrow().kind());
    assertEquals(ANSWER, hit.get().answer());
    assertEquals(1, lookups.count("exact_hit"));
  }

  @Test
  void should_answer_a_paraphrase_above_the_threshold_on_another_worker() {
    RedisAnswerCache workerA = worker(SETTINGS);
    RedisAnswerCache workerB = worker(SETTINGS);
    assertTrue(workerB.find("how can I stop my subscription", KB, PROMPT).isEmpty(), "nothing stored yet");
    embeddings.similar("how can I cancel my subscription", QUESTION, 0.95);
    embeddings.similar("how can I stop my subscription", QUESTION, 0.85);

    workerA.store(QUESTION, KB, PROMPT, ANSWER);

    // worker B had already fetched the space once: it fetches what was stored since
    Optional<CacheHit> hit = workerB.find("how can I cancel my subscription", KB, PROMPT);
    assertEquals(CacheHit.Kind.SEMANTIC, hit.orElseThrow().kind());
    assertEquals(0.95, hit.get().similarity(), 1e-4);
    assertEquals(ANSWER, hit.get().answer());
    assertEquals(QuestionNormalizer.normalize(QUESTION), hit.get().cachedQuestion());
    assertTrue(workerB.find("how can I stop my subscription", KB, PROMPT).isEmpty(), "0.85 is below the threshold");
    assertEquals(1, lookups.count("semantic_hit"));
    assertEquals(2, lookups.count("miss"));
  }

  @Test
  void should_not_answer_a_similar_question_that_differs_in_a_detail() {
    embeddings.similar("how do I cancel my subscription before the renewal", QUESTION + " after the renewal", 0.97);
    worker(SETTINGS).store(QUESTION + " after the renewal", KB, PROMPT, ANSWER);

    assertTrue(worker(SETTINGS).find("how do I cancel my subscription before the renewal", KB, PROMPT).isEmpty());
  }

  @Test
  void should_not_answer_across_knowledge_base_or_prompt_versions() {
    embeddings.similar("how can I cancel my subscription", QUESTION, 0.99);
    RedisAnswerCache cache = worker(SETTINGS);
    cache.store(QUESTION, KB, PROMPT, ANSWER);

    assertTrue(cache.find(QUESTION, "kb-chunks-1a2b@279@1764240099999", PROMPT).isEmpty());
    assertTrue(cache.find("how can I cancel my subscription", "kb-chunks-9z9z@278@1764240000000", PROMPT).isEmpty());
    assertTrue(cache.find(QUESTION, KB, "offline-v2").isEmpty());
    assertTrue(cache.find("how can I cancel my subscription", KB, "offline-v2").isEmpty());
    assertTrue(cache.find(QUESTION, KB, PROMPT).isPresent());
  }

  @Test
  void should_expire_entries_and_their_keys_after_the_time_to_live() throws Exception {
    AnswerCacheSettings shortLived = SETTINGS.withTtl(Duration.ofMillis(1500));
    embeddings.similar("how can I cancel my subscription", QUESTION, 0.95);
    RedisAnswerCache cache = worker(shortLived);
    cache.store(QUESTION, KB, PROMPT, ANSWER);
    String answers = cache.keys(RedisAnswerCache.space(KB, PROMPT)).get(0).toString();
    long ttl = redis.getKeys().remainTimeToLive(answers);
    assertTrue(ttl > 0 && ttl <= 1500, "keys expire: " + ttl);
    assertTrue(cache.find("how can I cancel my subscription", KB, PROMPT).isPresent());

    Thread.sleep(1700);

    assertTrue(cache.find(QUESTION, KB, PROMPT).isEmpty());
    assertTrue(cache.find("how can I cancel my subscription", KB, PROMPT).isEmpty());
    assertEquals(0, redis.getKeys().countExists(answers));
  }

  @Test
  void should_skip_entries_past_their_time_to_live_before_the_keys_expire() throws Exception {
    // the keys live on while later stores refresh them; the old entry must not be served
    RedisAnswerCache cache = worker(SETTINGS.withTtl(Duration.ofMillis(1500)));
    embeddings.similar("how can I cancel my subscription", QUESTION, 0.95);
    cache.store(QUESTION, KB, PROMPT, ANSWER);
    Thread.sleep(1000);
    cache.store("how do I change my email address", KB, PROMPT, ANSWER);
    Thread.sleep(700);

    assertTrue(cache.find(QUESTION, KB, PROMPT).isEmpty());
    assertTrue(worker(SETTINGS.withTtl(Duration.ofMillis(1500))).find("how can I cancel my subscription", KB, PROMPT).isEmpty());
    assertTrue(cache.find("how do I change my email address", KB, PROMPT).isPresent());
  }

  @Test
  void should_evict_the_oldest_entries_at_the_bound() {
    RedisAnswerCache cache = worker(SETTINGS.withMaxEntries(3));
    RedisAnswerCache other = worker(SETTINGS.withMaxEntries(3));
    List<String> questions = List.of("question alpha", "question bravo", "question charlie", "question delta", "question echo");
    for (String q : questions) {
      embeddings.similar("could you tell me " + q, q, 0.97);
      cache.store(q, KB, PROMPT, ANSWER);
    }

    List<Object> keys = cache.keys(RedisAnswerCache.space(KB, PROMPT));
    assertEquals(3, redis.getMap(keys.get(0).toString(), StringCodec.INSTANCE).size());
    assertEquals(3, redis.getMap(keys.get(1).toString(), StringCodec.INSTANCE).size());
    assertEquals(3, redis.getScoredSortedSet(keys.get(2).toString(), StringCodec.INSTANCE).size());
    for (RedisAnswerCache worker : List.of(cache, other)) {
      assertTrue(worker.find("question alpha", KB, PROMPT).isEmpty());
      assertTrue(worker.find("could you tell me question bravo", KB, PROMPT).isEmpty());
      assertEquals(CacheHit.Kind.EXACT, worker.find("question charlie", KB, PROMPT).orElseThrow().kind());
      assertEquals(CacheHit.Kind.SEMANTIC, worker.find("could you tell me question echo", KB, PROMPT).orElseThrow().kind());
    }
  }

  @Test
  void should_answer_a_real_paraphrase_with_the_real_embedding_model() {
    RedisAnswerCache cache =
        new RedisAnswerCache(redis, new AllMiniLmL6V2EmbeddingModel(), lookups.meter(), AnswerCacheSettings.DEFAULT, prefix);
    cache.store("How do I cancel my subscription?", KB, PROMPT, ANSWER);

    Optional<CacheHit> hit = cache.find("how can I cancel my subscription", KB, PROMPT);

    assertEquals(CacheHit.Kind.SEMANTIC, hit.orElseThrow().kind());
    assertTrue(hit.get().similarity() >= AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD, "" + hit.get().similarity());
    assertTrue(cache.find("how do I cancel my store order", KB, PROMPT).isEmpty());
    assertTrue(cache.find("how do I cancel my free trial", KB, PROMPT).isEmpty());
  }

  @Test
  void should_miss_and_store_nothing_when_redis_is_unreachable() {
    RedissonClient gone = connect();
    RedisAnswerCache cache = new RedisAnswerCache(gone, embeddings, lookups.meter(), SETTINGS, prefix);
    gone.shutdown();

    cache.store(QUESTION, KB, PROMPT, ANSWER);
    assertTrue(cache.find(QUESTION, KB, PROMPT).isEmpty());
    assertEquals(1, lookups.count("miss"));
  }

  @Test
  void should_look_up_in_milliseconds_at_the_size_bound() {
    int bound = AnswerCacheSettings.DEFAULT_MAX_ENTRIES;
    RedisAnswerCache filler = worker(SETTINGS);
    long fillStart = System.nanoTime();
    for (int i = 0; i < bound + 100; i++) {
      filler.store("stored question number " + i, KB, PROMPT, ANSWER);
    }
    double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
    List<Object> keys = filler.keys(RedisAnswerCache.space(KB, PROMPT));
    assertEquals(bound, redis.getScoredSortedSet(keys.get(2).toString(), StringCodec.INSTANCE).size());

    RedisAnswerCache fresh = worker(SETTINGS);
    long coldStart = System.nanoTime();
    assertTrue(fresh.find("a question nobody asked", KB, PROMPT).isEmpty());
    double coldMs = (System.nanoTime() - coldStart) / 1e6;

    List<Double> missMs = new ArrayList<>();
    List<Double> exactMs = new ArrayList<>();
    List<Double> semanticMs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String stored = "stored question number " + (500 + i);
      String paraphrase = "please tell me: stored question number " + (500 + i);
      embeddings.similar(paraphrase, stored, 0.96);
      embeddings.vector("another question " + i);
      long t = System.nanoTime();
      fresh.find("another question " + i, KB, PROMPT);
      missMs.add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      assertTrue(fresh.find(stored, KB, PROMPT).isPresent());
      exactMs.add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      assertEquals(CacheHit.Kind.SEMANTIC, fresh.find(paraphrase, KB, PROMPT).orElseThrow().kind());
      semanticMs.add((System.nanoTime() - t) / 1e6);
    }
    System.err.printf(
        "RedisAnswerCacheIT at %d entries: fill %.1f s; first lookup of a worker (fetches every vector) %.1f ms;"
            + " then, embedding excluded (fake model), miss p50 %.2f p95 %.2f ms, exact hit p50 %.2f p95 %.2f ms,"
            + " semantic hit p50 %.2f p95 %.2f ms%n",
        bound, fillSeconds, coldMs, pct(missMs, 0.5), pct(missMs, 0.95), pct(exactMs, 0.5), pct(exactMs, 0.95),
        pct(semanticMs, 0.5), pct(semanticMs, 0.95));
    assertTrue(pct(missMs, 0.5) < 100, "a lookup at the bound takes milliseconds");
  }

  private static double pct(List<Double> values, double q) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
