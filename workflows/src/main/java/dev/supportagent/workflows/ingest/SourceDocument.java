package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A document of the source: its id (path relative to the source) and a hash of its content. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SourceDocument(String documentId, String contentHash) {}
