package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A knowledge-base document a reply relies on. {@code url} and {@code section} may be null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Citation(String documentId, String title, String url, String section) {}
