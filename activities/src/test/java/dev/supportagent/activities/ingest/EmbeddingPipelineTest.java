package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The embedding model in the pipeline version and in the index's mapping. */
class EmbeddingPipelineTest {

  static final byte[] CONTENT = "# Refunds\n\nPaid within 5 days.".getBytes(StandardCharsets.UTF_8);

  @Test
  void should_keep_todays_pipeline_version_when_model_is_the_default() {
    assertEquals(
        "parsers-1/markdown-lines-150w-30o/all-minilm-l6-v2/mapping-2/english-stems-lucene-9",
        KnowledgeBaseIndexer.pipelineVersion(KnowledgeBaseIndexer.DEFAULT_EMBEDDING));
    assertEquals(KnowledgeBaseIndexer.PIPELINE_VERSION, new DocumentIndexer(null, null, null).pipelineVersion());
    assertEquals(KnowledgeBaseIndexer.contentHash(CONTENT), new DocumentIndexer(null, null, null).contentHash(CONTENT));
  }

  @Test
  void should_change_every_content_hash_when_model_changes() {
    DocumentIndexer remote = new DocumentIndexer(null, null, "openai:text-embedding-3-small", null);

    assertEquals(
        "parsers-1/markdown-lines-150w-30o/openai:text-embedding-3-small/mapping-2/english-stems-lucene-9",
        remote.pipelineVersion());
    assertNotEquals(KnowledgeBaseIndexer.contentHash(CONTENT), remote.contentHash(CONTENT));
  }

  @Test
  void should_size_vectors_and_record_model_when_mapping_is_made() throws Exception {
    JsonNode body = DocumentIndexer.mapping(8, "openai:bge-small-test");
    JsonNode mappings = body.get("mappings");

    assertEquals(8, mappings.get("properties").get("embedding").get("dims").asInt());
    assertEquals("cosine", mappings.get("properties").get("embedding").get("similarity").asText());
    assertEquals("openai:bge-small-test", mappings.get("_meta").get("embedding_model").asText());
    assertEquals(8, mappings.get("_meta").get("embedding_dims").asInt());
    assertEquals(384, DocumentIndexer.mapping(384, "all-minilm-l6-v2").get("mappings").get("properties")
        .get("embedding").get("dims").asInt());
  }

  @Test
  void should_ask_for_full_rebuild_when_index_holds_another_models_vectors() {
    var e =
        new DocumentIndexer.EmbeddingMismatchException(
            "kb-chunks-1",
            new DocumentIndexer.IndexEmbedding("all-minilm-l6-v2", 384),
            new DocumentIndexer.IndexEmbedding("openai:text-embedding-3-small", 1536));

    assertEquals(
        "index kb-chunks-1 holds vectors of all-minilm-l6-v2 (384 dimensions), but the worker embeds with"
            + " openai:text-embedding-3-small (1536 dimensions) (SUPPORT_EMBEDDINGS): run a full rebuild of the"
            + " knowledge base (fullRebuild=true, or ingest --full-rebuild)",
        e.getMessage());
  }
}
