package dev.supportagent.workflows.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A chunk of a knowledge-base document. Never carries its embedding.
 *
 * @param score the search score; higher is more relevant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Passage(
    String passageId,
    String documentId,
    String title,
    String section,
    String url,
    String text,
    double score) {}
