package dev.supportagent.activities.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A chunk as stored in the {@code kb-chunks} index. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChunkDocument(
    @JsonProperty("passage_id") String passageId,
    @JsonProperty("document_id") String documentId,
    @JsonProperty("title") String title,
    @JsonProperty("section") String section,
    @JsonProperty("url") String url,
    @JsonProperty("text") String text,
    @JsonProperty("chunk_index") int chunkIndex,
    @JsonProperty("content_hash") String contentHash,
    @JsonProperty("kb_version") String kbVersion,
    @JsonProperty("updated_at") String updatedAt,
    @JsonProperty("embedding") float[] embedding) {}
