package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingConfigTest {

  static String problem(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> EmbeddingConfig.fromEnv(env)).getMessage();
  }

  @Test
  void should_be_local_minilm_when_nothing_is_set() {
    assertSame(EmbeddingConfig.LOCAL, EmbeddingConfig.fromEnv(Map.of()));
    assertSame(EmbeddingConfig.LOCAL, EmbeddingConfig.fromEnv(Map.of("SUPPORT_EMBEDDINGS", "local")));
    assertEquals("all-minilm-l6-v2", EmbeddingConfig.LOCAL.name());
  }

  @Test
  void should_read_openai_model_and_base_url_when_given() {
    EmbeddingConfig config =
        EmbeddingConfig.fromEnv(Map.of("SUPPORT_EMBEDDINGS", "openai:BAAI/bge-small-en-v1.5@http://127.0.0.1:8000/v1/"));

    assertFalse(config.local());
    assertEquals("BAAI/bge-small-en-v1.5", config.model());
    assertEquals("http://127.0.0.1:8000/v1", config.effectiveBaseUrl());
    assertNull(config.apiKey());
    assertEquals("openai:BAAI/bge-small-en-v1.5", config.name());
  }

  @Test
  void should_prefer_embeddings_key_over_openai_key_when_both_are_set() {
    EmbeddingConfig config =
        EmbeddingConfig.fromEnv(
            Map.of(
                "SUPPORT_EMBEDDINGS", "openai:text-embedding-3-small",
                "OPENAI_API_KEY", "sk-chat",
                "SUPPORT_EMBEDDINGS_API_KEY", "sk-embed"));

    assertEquals("sk-embed", config.apiKey());
    assertEquals("https://api.openai.com/v1", config.effectiveBaseUrl());
    assertFalse(config.toString().contains("sk-embed"), config.toString());
  }

  @Test
  void should_name_entry_and_variable_when_entry_is_bad() {
    assertTrue(
        problem(Map.of("SUPPORT_EMBEDDINGS", "cohere:embed-english-v3.0"))
            .contains("SUPPORT_EMBEDDINGS: entry 'cohere:embed-english-v3.0' has an unknown provider 'cohere'"));
    assertTrue(
        problem(Map.of("SUPPORT_EMBEDDINGS", "openai:text-embedding-3-small"))
            .contains("SUPPORT_EMBEDDINGS: entry 'openai:text-embedding-3-small' needs SUPPORT_EMBEDDINGS_API_KEY or OPENAI_API_KEY"));
    assertTrue(problem(Map.of("SUPPORT_EMBEDDINGS", "openai:@http://127.0.0.1:8000/v1")).contains("has no model"));
    assertTrue(problem(Map.of("SUPPORT_EMBEDDINGS", "openai:m@localhost:8000")).contains("has a bad base URL"));
    assertTrue(problem(Map.of("SUPPORT_EMBEDDINGS", "local:all-minilm-l6-v2")).contains("local takes no model"));
  }
}
