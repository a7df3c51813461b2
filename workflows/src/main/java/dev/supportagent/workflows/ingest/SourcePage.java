package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The next documents of a source, in id order, compared with the index.
 *
 * @param changed documents whose content hash differs from the index's (or that it lacks)
 * @param skipped documents of the page the index already holds unchanged
 * @param last the page's last document id: the next page starts after it
 * @param more whether documents follow
 * @param total documents in the whole source
 * @param partial the source holds only some of the knowledge base (an upload): documents missing
 *     from it are kept, not deleted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SourcePage(
    List<SourceDocument> changed, int skipped, String last, boolean more, int total, boolean partial) {

  public SourcePage {
    changed = changed == null ? List.of() : List.copyOf(changed);
  }
}
