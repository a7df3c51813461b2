package dev.supportagent.evaluation.cache;

/**
 * A row of a paraphrase file: two customer questions and whether the reply to one is a correct
 * reply to the other.
 *
 * @param line the row's line number, for messages
 * @param same true when the same reply answers both (a cache hit would be right), false when their
 *     answers differ (a hit would be wrong)
 * @param kind {@code paraphrase}, {@code surface} (the same words, other case, punctuation or
 *     courtesy), {@code hard_negative} (near-identical wording, different answer) or {@code
 *     negative} (another question)
 * @param group the question the pair was built around; pairs of a group stay in one fold when
 *     cross-validating
 */
public record ParaphrasePair(int line, String id, String q, String q2, boolean same, String kind, String group) {}
