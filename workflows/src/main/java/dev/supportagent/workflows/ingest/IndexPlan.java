package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * Where an ingestion writes.
 *
 * @param index the concrete index
 * @param existingHashes content hash of every document already in that index, by document id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexPlan(String index, Map<String, String> existingHashes) {

  public IndexPlan {
    existingHashes = existingHashes == null ? Map.of() : Map.copyOf(existingHashes);
  }
}
