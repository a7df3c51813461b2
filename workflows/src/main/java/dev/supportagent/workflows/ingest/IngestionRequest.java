package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param source a folder, relative to the worker's knowledge-base root (empty: the root itself), or
 *     {@code upload:<id>} for documents uploaded through the API ({@link Uploads})
 * @param alias the alias queries read, {@code kb-chunks} by default
 * @param fullRebuild write a new index and move the alias to it when done, instead of updating
 *     the current index in place
 * @param documentsPerRun documents one workflow run handles before it continues as new, keeping
 *     its history small; 0 for the default
 * @param resume set by the workflow itself when it continues as new; null when starting
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestionRequest(
    String source, String alias, boolean fullRebuild, int documentsPerRun, Resume resume) {

  public IngestionRequest(String source, String alias, boolean fullRebuild) {
    this(source, alias, fullRebuild, 0, null);
  }

  /** Where a continued run picks up: after document {@code after}, with the counts so far. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resume(String after, IngestionProgress progress) {}

  IngestionRequest continuedAfter(String after, IngestionProgress progress) {
    return new IngestionRequest(source, alias, fullRebuild, documentsPerRun, new Resume(after, progress));
  }
}
