package dev.supportagent.workflows.retrieval;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Finds knowledge-base passages for a question. */
@ActivityInterface
public interface RetrievalActivities {

  /**
   * Embeds the query and searches the {@code kb-chunks} alias. Read-only, so idempotent. Raises
   * {@code INVALID_REQUEST} for an empty query and {@code KNOWLEDGE_BASE_MISSING} when nothing was
   * ingested yet (both non-retryable); connection errors are retried by Temporal.
   */
  @ActivityMethod
  RetrievalResult retrieve(RetrievalRequest request);
}
