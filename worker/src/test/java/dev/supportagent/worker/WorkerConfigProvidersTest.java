package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.embedding.EmbeddingConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedding model and the re-ranker in the worker's configuration. */
class WorkerConfigProvidersTest {

  @Test
  void should_keep_local_embeddings_and_no_reranker_when_nothing_is_set() {
    WorkerConfig config = WorkerConfig.fromEnv(Map.of());

    assertEquals(EmbeddingConfig.LOCAL, config.embeddings());
    assertFalse(config.reranker().enabled());
  }

  @Test
  void should_read_both_providers_when_set() {
    WorkerConfig config =
        WorkerConfig.fromEnv(
            Map.of(
                "SUPPORT_EMBEDDINGS", "openai:text-embedding-3-small@http://127.0.0.1:8000/v1",
                "SUPPORT_RERANKER", "tei:@http://127.0.0.1:8080",
                "SUPPORT_RERANKER_TOP_N", "10"));

    assertEquals("openai:text-embedding-3-small", config.embeddings().name());
    assertEquals("tei", config.reranker().provider());
    assertEquals(10, config.reranker().topN());
  }

  @Test
  void should_stop_worker_naming_each_bad_entry_with_the_other_problems_when_entries_are_bad() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    WorkerConfig.fromEnv(
                        Map.of(
                            "SUPPORT_EMBEDDINGS", "openai:text-embedding-3-small",
                            "SUPPORT_RERANKER", "cohere:rerank-english-v3.0",
                            "SUPPORT_RETRIEVAL_MODE", "fuzzy")))
            .getMessage();

    assertTrue(message.startsWith("invalid worker configuration"), message);
    assertTrue(message.contains("SUPPORT_EMBEDDINGS: entry 'openai:text-embedding-3-small' needs"), message);
    assertTrue(message.contains("SUPPORT_RERANKER: entry 'cohere:rerank-english-v3.0' needs COHERE_API_KEY"), message);
    assertTrue(message.contains("SUPPORT_RETRIEVAL_MODE"), message);
  }
}
