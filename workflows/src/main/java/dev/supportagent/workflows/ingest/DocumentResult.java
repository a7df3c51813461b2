package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** @param failure why the document could not be indexed, or null when it was */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DocumentResult(String documentId, int chunks, String failure) {}
