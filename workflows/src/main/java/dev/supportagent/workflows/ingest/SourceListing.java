package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** @param documents sorted by id */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SourceListing(String source, List<SourceDocument> documents) {

  public SourceListing {
    documents = documents == null ? List.of() : List.copyOf(documents);
  }
}
