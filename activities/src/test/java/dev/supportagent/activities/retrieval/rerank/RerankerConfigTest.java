package dev.supportagent.activities.retrieval.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankerConfigTest {

  static String problem(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> RerankerConfig.fromEnv(env)).getMessage();
  }

  @Test
  void should_be_off_when_nothing_is_set() {
    RerankerConfig config = RerankerConfig.fromEnv(Map.of());

    assertFalse(config.enabled());
    assertNull(config.create());
    assertEquals(20, config.topN());
    assertEquals("off", config.toString());
  }

  @Test
  void should_read_cohere_with_its_key_when_no_base_url_is_given() {
    RerankerConfig config =
        RerankerConfig.fromEnv(Map.of("SUPPORT_RERANKER", "cohere:rerank-english-v3.0", "COHERE_API_KEY", "secret"));

    assertEquals("cohere", config.provider());
    assertEquals("rerank-english-v3.0", config.model());
    assertNull(config.baseUrl());
    assertEquals("secret", config.apiKey());
    assertInstanceOf(CohereReranker.class, config.create());
    assertFalse(config.toString().contains("secret"), config.toString());
  }

  @Test
  void should_read_jina_tei_top_n_and_timeout_when_set() {
    RerankerConfig jina =
        RerankerConfig.fromEnv(
            Map.of(
                "SUPPORT_RERANKER", "jina:jina-reranker-v2-base-multilingual@http://127.0.0.1:9000/",
                "SUPPORT_RERANKER_TOP_N", "30",
                "SUPPORT_RERANKER_TIMEOUT_MS", "750"));
    RerankerConfig tei =
        RerankerConfig.fromEnv(
            Map.of("SUPPORT_RERANKER", "tei:@http://127.0.0.1:8080", "SUPPORT_RERANKER_API_KEY", "tok"));

    assertEquals("http://127.0.0.1:9000", jina.baseUrl());
    assertEquals(30, jina.topN());
    assertEquals(Duration.ofMillis(750), jina.timeout());
    assertInstanceOf(JinaReranker.class, jina.create());
    assertEquals("tei", tei.provider());
    assertEquals("tok", tei.apiKey());
    assertInstanceOf(TeiReranker.class, tei.create());
    assertTrue(tei.enabled());
  }

  @Test
  void should_name_entry_and_variable_when_provider_is_unknown() {
    String message = problem(Map.of("SUPPORT_RERANKER", "voyage:rerank-2"));

    assertTrue(message.contains("SUPPORT_RERANKER: entry 'voyage:rerank-2' has an unknown provider 'voyage'"), message);
  }

  @Test
  void should_ask_for_key_when_cohere_has_neither_key_nor_base_url() {
    String message = problem(Map.of("SUPPORT_RERANKER", "cohere:rerank-english-v3.0"));

    assertTrue(message.contains("SUPPORT_RERANKER: entry 'cohere:rerank-english-v3.0' needs COHERE_API_KEY"), message);
  }

  @Test
  void should_report_each_bad_entry_when_entries_are_malformed() {
    assertTrue(problem(Map.of("SUPPORT_RERANKER", "tei")).contains("needs the server's base URL"));
    assertTrue(problem(Map.of("SUPPORT_RERANKER", "jina:@http://127.0.0.1:9000")).contains("has no model"));
    assertTrue(problem(Map.of("SUPPORT_RERANKER", "tei:@ftp://host")).contains("has a bad base URL 'ftp://host'"));
    assertTrue(problem(Map.of("SUPPORT_RERANKER", "off:cohere")).contains("off takes no model"));
    assertTrue(
        problem(Map.of("SUPPORT_RERANKER", "tei:@http://a:1,tei:@http://b:2")).contains("takes exactly one"));
  }

  @Test
  void should_report_top_n_and_timeout_when_out_of_range() {
    String message =
        problem(Map.of("SUPPORT_RERANKER_TOP_N", "0", "SUPPORT_RERANKER_TIMEOUT_MS", "lots"));

    assertTrue(message.contains("SUPPORT_RERANKER_TOP_N must be between 1 and 100, got 0"), message);
    assertTrue(message.contains("SUPPORT_RERANKER_TIMEOUT_MS must be a whole number, got 'lots'"), message);
  }
}
