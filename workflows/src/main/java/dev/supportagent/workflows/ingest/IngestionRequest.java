package dev.supportagent.workflows.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param source a folder, relative to the worker's knowledge-base root (empty: the root itself)
 * @param alias the alias queries read, {@code kb-chunks} by default
 * @param fullRebuild write a new index and move the alias to it when done, instead of updating
 *     the current index in place
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestionRequest(String source, String alias, boolean fullRebuild) {}
