package dev.supportagent.workflows.answer;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Composes the answer to a question from retrieved passages. Runs on the {@code support-llm} queue. */
@ActivityInterface
public interface AnswerActivities {

  /**
   * Answers from the passages only, citing the documents used, or declines when nothing relevant
   * was found. Idempotent for the offline answerer (deterministic); model providers may word a
   * retried answer differently. Raises {@code INVALID_REQUEST} for an empty question.
   */
  @ActivityMethod
  GeneratedAnswer generate(AnswerRequest request);
}
