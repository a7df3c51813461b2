package dev.supportagent.activities.model.cache;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import java.util.Locale;

/**
 * A reply found in the answer cache.
 *
 * @param answer the cached reply
 * @param kind which layer found it
 * @param similarity cosine similarity of the question's embedding to the cached question's; 1 for
 *     an exact hit
 * @param cachedQuestion the cached question, normalised ({@link QuestionNormalizer}); cached
 *     questions carry no personal data ({@link CachePolicy}), so it may be logged
 */
public record CacheHit(CachedAnswer answer, Kind kind, double similarity, String cachedQuestion) {

  /** The layer that answered. */
  public enum Kind {
    /** The same question once normalised. */
    EXACT,
    /** An earlier question whose embedding is at least the similarity threshold away. */
    SEMANTIC;

    /** The value of the {@code result} attribute of the lookup counter. */
    public String metricResult() {
      return name().toLowerCase(Locale.ROOT) + "_hit";
    }
  }

  /**
   * The hit as the answer of a turn: the cached text, citations, model and tier, with no tokens
   * and no cost, since serving it calls no model.
   *
   * @param promptVersion the prompt version of the turn (the one the cache was looked up with)
   * @param durationMs how long the lookup took
   */
  public GeneratedAnswer toGeneratedAnswer(String promptVersion, long durationMs) {
    return new GeneratedAnswer(
        answer.text(), answer.citations(), false, answer.model(), answer.tier(), promptVersion, 0, 0, 0.0,
        durationMs);
  }
}
