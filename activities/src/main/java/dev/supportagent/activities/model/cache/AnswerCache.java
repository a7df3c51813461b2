package dev.supportagent.activities.model.cache;

import java.util.Optional;

/**
 * Replies to earlier questions, to answer the same question again without calling a model.
 *
 * <p>Two layers: an <b>exact</b> one keyed on the normalised question ({@link
 * QuestionNormalizer}), and a <b>semantic</b> one that compares the question's embedding with the
 * embeddings of earlier questions by cosine and answers with the most similar one that reaches the
 * similarity threshold ({@link AnswerCacheSettings#similarityThreshold()}) and differs from the
 * question in no number, negation, place or other detail of {@link ContrastGuard}. Both are kept apart per knowledge
 * base version and prompt version: a lookup never sees a reply stored under another version, so a
 * new knowledge base or prompt starts empty, and the old versions' entries expire.
 *
 * <p>Only questions that {@link CachePolicy#eligible} accepts may be looked up or stored: no
 * personal data, no earlier turns or other conversation-specific context. Only replies that
 * {@link CachePolicy#storable} accepts may be stored: never a reply that declined, was blocked or
 * escalated, since such a reply is about that turn, not about the question.
 *
 * <p>Implementations are thread-safe, count every lookup ({@code support_answer_cache_lookups},
 * attribute {@code result} = {@code exact_hit}, {@code semantic_hit} or {@code miss}) and never
 * fail a turn: when their store is unreachable a lookup is a miss and a store does nothing.
 */
public interface AnswerCache {

  /**
   * The cached reply for {@code question}, exact first, then semantic.
   *
   * <p>Read-only and idempotent (apart from the lookup counter). Raises nothing: an unreachable
   * store or a failing embedding model is logged and reported as a miss.
   *
   * @param question the customer's question as the input check passed it; must be {@link
   *     CachePolicy#eligible eligible}
   * @param kbVersion the knowledge base version the reply would be answered from; see {@link
   *     KnowledgeBaseVersion}
   * @param promptVersion the version of everything else that shapes a reply (prompt, answerer,
   *     model chain)
   */
  Optional<CacheHit> find(String question, String kbVersion, String promptVersion);

  /**
   * Keeps {@code answer} as the reply to {@code question} under the two versions, for the
   * configured time to live. Storing the same question again replaces its reply and restarts its
   * time to live. When the versions' entries reach the size bound, the oldest are evicted.
   *
   * <p>Idempotent: storing the same reply twice leaves one entry. Raises nothing: an unreachable
   * store is logged and the reply is simply not cached.
   *
   * @param answer must be {@link CachePolicy#storable storable}: the caller must not store a reply
   *     that declined, was blocked or escalated
   */
  void store(String question, String kbVersion, String promptVersion, CachedAnswer answer);
}
