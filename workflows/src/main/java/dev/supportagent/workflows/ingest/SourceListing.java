package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param documents sorted by id
 * @param partial the source holds only some of the knowledge base (an upload): documents missing
 *     from it are kept, not deleted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SourceListing(String source, List<SourceDocument> documents, boolean partial) {

  public SourceListing {
    documents = documents == null ? List.of() : List.copyOf(documents);
  }
}
