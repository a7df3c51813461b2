package dev.supportagent.activities.retrieval.rerank;

import dev.supportagent.activities.provider.ProviderEntry;
import dev.supportagent.workflows.EnvReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The re-ranker's settings from the environment, off by default.
 *
 * <ul>
 *   <li>{@code SUPPORT_RERANKER}: {@code off} (the default), or one entry {@code provider:model[@baseUrl]}:
 *       {@code cohere:rerank-english-v3.0}, {@code jina:jina-reranker-v2-base-multilingual}, or
 *       {@code tei:@http://127.0.0.1:8080} (Text Embeddings Inference serves one model, so none is
 *       named; a base URL is required). The base URL is the server's root; one ending in
 *       {@code /v1} is accepted too.
 *   <li>Keys: {@code SUPPORT_RERANKER_API_KEY} when set, else {@code COHERE_API_KEY} or {@code
 *       JINA_API_KEY}; Cohere and Jina need one unless a base URL is given; TEI needs none.
 *   <li>{@code SUPPORT_RERANKER_TOP_N} (20): how many of the fused passages are re-ranked.
 *   <li>{@code SUPPORT_RERANKER_TIMEOUT_MS} (2000): the whole call; past it the fused order stands.
 * </ul>
 *
 * @param provider {@code off}, {@code cohere}, {@code jina} or {@code tei}
 * @param model the model (empty for TEI)
 * @param baseUrl the server's root, or null for the provider's public API
 * @param apiKey the key, or null
 */
public record RerankerConfig(
    String provider, String model, String baseUrl, String apiKey, int topN, Duration timeout) {

  public static final String VARIABLE = "SUPPORT_RERANKER";
  public static final String TOP_N_VARIABLE = "SUPPORT_RERANKER_TOP_N";
  public static final String TIMEOUT_VARIABLE = "SUPPORT_RERANKER_TIMEOUT_MS";
  public static final String KEY_VARIABLE = "SUPPORT_RERANKER_API_KEY";
  public static final String COHERE_KEY_VARIABLE = "COHERE_API_KEY";
  public static final String JINA_KEY_VARIABLE = "JINA_API_KEY";
  public static final int DEFAULT_TOP_N = 20;
  public static final int MAX_TOP_N = 100;
  /** Well inside the retrieval activity's 10-second timeout, with the query's embedding and search. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(2000);
  public static final RerankerConfig OFF = new RerankerConfig("off", "", null, null, DEFAULT_TOP_N, DEFAULT_TIMEOUT);

  private static final List<String> PROVIDERS = List.of("off", "cohere", "jina", "tei");

  public boolean enabled() {
    return !provider.equals("off");
  }

  /** The re-ranker, or null when off. */
  public Reranker create() {
    return switch (provider) {
      case "cohere" -> new CohereReranker(model, baseUrl, apiKey, timeout);
      case "jina" -> new JinaReranker(model, baseUrl, apiKey, timeout);
      case "tei" -> new TeiReranker(baseUrl, apiKey, timeout);
      default -> null;
    };
  }

  /**
   * Reads the re-ranker's variables, reporting problems to {@code r} (the caller calls {@link
   * EnvReader#failOnProblems}); on a problem with the entry the result is {@link #OFF}.
   */
  public static RerankerConfig read(EnvReader r) {
    int topN = (int) r.number(TOP_N_VARIABLE, DEFAULT_TOP_N, 1, MAX_TOP_N);
    Duration timeout = Duration.ofMillis(r.number(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT.toMillis(), 50, 9_000));
    String value = r.string(VARIABLE, "off");
    ProviderEntry entry = ProviderEntry.parse(VARIABLE, value, PROVIDERS, r::problem);
    if (entry == null) {
      return OFF;
    }
    String where = VARIABLE + ": entry '" + value + "'";
    switch (entry.provider()) {
      case "off" -> {
        if (!value.strip().equalsIgnoreCase("off")) {
          r.problem(where + ": off takes no model or base URL, write just 'off'");
        }
        return OFF;
      }
      case "tei" -> {
        if (entry.baseUrl() == null) {
          r.problem(where + " needs the server's base URL (write tei:@http://HOST:PORT)");
          return OFF;
        }
        return new RerankerConfig("tei", entry.model(), entry.baseUrl(), r.string(KEY_VARIABLE, null), topN, timeout);
      }
      default -> {
        if (entry.model().isEmpty()) {
          r.problem(where + " has no model (write " + entry.provider() + ":MODEL[@baseUrl])");
          return OFF;
        }
        String providerKey = entry.provider().equals("cohere") ? COHERE_KEY_VARIABLE : JINA_KEY_VARIABLE;
        String key = r.string(KEY_VARIABLE, r.string(providerKey, null));
        if (key == null && entry.baseUrl() == null) {
          r.problem(where + " needs " + providerKey + " or " + KEY_VARIABLE
              + " (or a base URL, for a server without keys)");
          return OFF;
        }
        return new RerankerConfig(entry.provider(), entry.model(), entry.baseUrl(), key, topN, timeout);
      }
    }
  }

  /**
   * Reads and checks the re-ranker's variables alone.
   *
   * @throws IllegalArgumentException naming every bad entry and its variable
   */
  public static RerankerConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    RerankerConfig config = read(r);
    r.failOnProblems("re-ranker");
    return config;
  }

  /** The key never appears: the config may be logged. */
  @Override
  public String toString() {
    if (!enabled()) {
      return "off";
    }
    return provider + ":" + model + (baseUrl == null ? "" : "@" + baseUrl)
        + " (top " + topN + ", timeout " + timeout.toMillis() + " ms, key " + (apiKey == null ? "unset" : "set") + ")";
  }
}
