package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryAnswerCacheTest {

  static final String KB = "kb-chunks-1@278@1764240000000";
  static final String PROMPT = "offline-v1";
  static final CachedAnswer REFUNDS =
      new CachedAnswer(
          "Within 14 days of the charge. [1]",
          List.of(new Citation("billing/refunds.md", "Refunds policy", null, "When you can get a refund")),
          "offline-extractive",
          "offline");

  FakeEmbeddings embeddings;
  LookupCounter lookups;
  AtomicLong clock;
  InMemoryAnswerCache cache;

  @BeforeEach
  void cache() {
    embeddings = new FakeEmbeddings();
    lookups = new LookupCounter();
    clock = new AtomicLong(1_000_000);
    cache = cache(AnswerCacheSettings.DEFAULT.withSimilarityThreshold(0.9).withTtl(Duration.ofMinutes(10)));
  }

  InMemoryAnswerCache cache(AnswerCacheSettings settings) {
    return new InMemoryAnswerCache(embeddings, lookups.meter(), settings, clock::get);
  }

  @Test
  void should_answer_the_same_question_exactly_without_embedding_it_again() {
    cache.store("How long do I have to get a refund on my yearly plan?", KB, PROMPT, REFUNDS);
    int embedded = embeddings.calls();

    Optional<CacheHit> hit = cache.find("how long do I have to get a refund on my yearly plan", KB, PROMPT);

    assertTrue(hit.isPresent());
    assertEquals(CacheHit.Kind.EXACT, hit.get().kind());
    assertEquals(1.0, hit.get().similarity());
    assertEquals(REFUNDS, hit.get().answer());
    assertEquals("how long do i have to get a refund on my yearly plan", hit.get().cachedQuestion());
    assertEquals(embedded, embeddings.calls(), "an exact hit needs no embedding");
    assertEquals(1, lookups.count("exact_hit"));
  }

  @Test
  void should_answer_a_paraphrase_above_the_threshold() {
    embeddings.similar("how long have I got to get a refund on my yearly plan", "how long do I have to get a refund on my yearly plan", 0.95);
    cache.store("how long do I have to get a refund on my yearly plan", KB, PROMPT, REFUNDS);

    Optional<CacheHit> hit = cache.find("how long have I got to get a refund on my yearly plan", KB, PROMPT);

    assertEquals(CacheHit.Kind.SEMANTIC, hit.orElseThrow().kind());
    assertEquals(0.95, hit.get().similarity(), 1e-4);
    assertEquals(REFUNDS, hit.get().answer());
    assertEquals(1, lookups.count("semantic_hit"));
  }

  @Test
  void should_miss_below_the_threshold() {
    embeddings.similar("what is the refund window for an annual subscription", "how long do I have to get a refund on my yearly plan", 0.89);
    cache.store("how long do I have to get a refund on my yearly plan", KB, PROMPT, REFUNDS);

    assertTrue(cache.find("what is the refund window for an annual subscription", KB, PROMPT).isEmpty());
    assertEquals(1, lookups.count("miss"));
  }

  @Test
  void should_miss_a_similar_question_that_differs_in_a_detail() {
    embeddings.similar("how long do I have to get a refund on my monthly plan", "how long do I have to get a refund on my yearly plan", 0.97);
    cache.store("how long do I have to get a refund on my yearly plan", KB, PROMPT, REFUNDS);

    assertTrue(cache.find("how long do I have to get a refund on my monthly plan", KB, PROMPT).isEmpty());
  }

  @Test
  void should_not_answer_across_knowledge_base_or_prompt_versions() {
    embeddings.similar("how long have I got to get a refund on my yearly plan", "how long do I have to get a refund on my yearly plan", 0.99);
    cache.store("how long do I have to get a refund on my yearly plan", KB, PROMPT, REFUNDS);

    assertTrue(cache.find("how long do I have to get a refund on my yearly plan", "kb-chunks-1@277@1764240009999", PROMPT).isEmpty());
    assertTrue(cache.find("how long have I got to get a refund on my yearly plan", "kb-chunks-2@278@1764240000000", PROMPT).isEmpty());
    assertTrue(cache.find("how long do I have to get a refund on my yearly plan", KB, "offline-v2").isEmpty());
    assertTrue(cache.find("how long do I have to get a refund on my yearly plan", KB, PROMPT).isPresent());
    assertEquals(3, lookups.count("miss"));
  }

  @Test
  void should_expire_entries_after_the_time_to_live() {
    cache.store("how do I cancel my subscription", KB, PROMPT, REFUNDS);
    clock.addAndGet(Duration.ofMinutes(10).toMillis());
    assertTrue(cache.find("how do I cancel my subscription", KB, PROMPT).isPresent(), "still fresh at the limit");

    clock.incrementAndGet();

    assertTrue(cache.find("how do I cancel my subscription", KB, PROMPT).isEmpty());
  }

  @Test
  void should_restart_the_time_to_live_when_stored_again() {
    cache.store("how do I cancel my subscription", KB, PROMPT, REFUNDS);
    clock.addAndGet(Duration.ofMinutes(8).toMillis());
    CachedAnswer newer = new CachedAnswer("Settings > Billing > Plan. [1]", REFUNDS.citations(), "gpt", "fast");
    cache.store("How do I cancel my subscription?", KB, PROMPT, newer);
    clock.addAndGet(Duration.ofMinutes(8).toMillis());

    assertEquals(newer, cache.find("how do I cancel my subscription", KB, PROMPT).orElseThrow().answer());
    assertEquals(1, cache.size(KB, PROMPT));
  }

  @Test
  void should_evict_the_oldest_entries_at_the_bound() {
    InMemoryAnswerCache small = cache(AnswerCacheSettings.DEFAULT.withMaxEntries(3));
    for (int i = 1; i <= 5; i++) {
      clock.incrementAndGet();
      small.store("question number " + "abcde".charAt(i - 1), KB, PROMPT, REFUNDS);
    }

    assertEquals(3, small.size(KB, PROMPT));
    assertTrue(small.find("question number a", KB, PROMPT).isEmpty());
    assertTrue(small.find("question number b", KB, PROMPT).isEmpty());
    assertTrue(small.find("question number c", KB, PROMPT).isPresent());
    assertTrue(small.find("question number e", KB, PROMPT).isPresent());
  }

  @Test
  void should_report_a_miss_when_the_embedding_model_fails() {
    cache.store("how do I cancel my subscription", KB, PROMPT, REFUNDS);
    embeddings.failing(true);

    assertTrue(cache.find("how can I cancel my subscription", KB, PROMPT).isEmpty());
    assertTrue(cache.find("how do I cancel my subscription", KB, PROMPT).isPresent(), "the exact layer needs no model");
    cache.store("how can I stop my plan", KB, PROMPT, REFUNDS);
    assertEquals(1, cache.size(KB, PROMPT));
  }

  @Test
  void should_turn_a_hit_into_an_answer_that_costs_nothing() {
    CacheHit hit = new CacheHit(REFUNDS, CacheHit.Kind.SEMANTIC, 0.96, "q");

    GeneratedAnswer answer = hit.toGeneratedAnswer(PROMPT, 3);

    assertEquals(REFUNDS.text(), answer.text());
    assertEquals(REFUNDS.citations(), answer.citations());
    assertFalse(answer.declined());
    assertEquals("offline-extractive", answer.model());
    assertEquals(0, answer.tokensIn() + answer.tokensOut());
    assertEquals(0.0, answer.costUsd());
    assertEquals(3, answer.durationMs());
  }
}
