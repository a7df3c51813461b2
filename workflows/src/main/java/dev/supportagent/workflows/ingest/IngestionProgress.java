package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Where an ingestion stands; also its result.
 *
 * @param status LISTING, INDEXING, PUBLISHING, COMPLETED or FAILED
 * @param done documents indexed; {@code skipped} unchanged ones; {@code failed} unreadable ones
 * @param deleted documents removed because the source no longer has them
 * @param failures the first failures with their reasons
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestionProgress(
    String status,
    int total,
    int done,
    int skipped,
    int failed,
    int deleted,
    long chunks,
    String index,
    List<DocumentFailure> failures) {

  public IngestionProgress {
    failures = failures == null ? List.of() : List.copyOf(failures);
  }
}
