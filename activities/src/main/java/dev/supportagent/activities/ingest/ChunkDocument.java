package dev.supportagent.activities.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A chunk as stored in the {@code kb-chunks} index.
 *
 * @param titleStems the title's {@link EnglishStems}; {@code sectionStems} and {@code textStems}
 *     likewise: what BM25 searches besides the plain words
 */
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
    @JsonProperty("embedding") float[] embedding,
    @JsonProperty("title_stems") String titleStems,
    @JsonProperty("section_stems") String sectionStems,
    @JsonProperty("text_stems") String textStems) {

  /** A chunk with the stems of its title, section and text computed here. */
  public static ChunkDocument withStems(
      String passageId, String documentId, String title, String section, String url, String text,
      int chunkIndex, String contentHash, String kbVersion, String updatedAt, float[] embedding) {
    return new ChunkDocument(passageId, documentId, title, section, url, text, chunkIndex, contentHash,
        kbVersion, updatedAt, embedding, EnglishStems.of(title), section == null ? null : EnglishStems.of(section),
        EnglishStems.of(text));
  }
}
