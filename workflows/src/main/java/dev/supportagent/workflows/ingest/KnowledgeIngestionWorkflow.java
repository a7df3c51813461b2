package dev.supportagent.workflows.ingest;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Brings the knowledge-base index in line with a source folder. Id {@code kb-ingest-<uuid>}. */
@WorkflowInterface
public interface KnowledgeIngestionWorkflow {

  /**
   * Indexes new and changed documents, skips unchanged ones (by content hash), removes documents
   * the source no longer has, reports unreadable ones and goes on. Fails with {@code
   * INVALID_SOURCE} for a missing or empty source.
   */
  @WorkflowMethod
  IngestionProgress run(IngestionRequest request);

  @QueryMethod
  IngestionProgress getProgress();
}
