package dev.supportagent.activities.embedding;

import dev.supportagent.activities.provider.ProviderEntry;
import dev.supportagent.workflows.EnvReader;
import java.util.List;
import java.util.Map;

/**
 * Which model embeds the knowledge base and the retrieval query ({@code SUPPORT_EMBEDDINGS}):
 * {@code local}, the default, is all-MiniLM-L6-v2 in process (see {@link Embeddings});
 * {@code openai:MODEL[@baseUrl]} is OpenAI's {@code /v1/embeddings} or any server speaking it
 * (vLLM, Text Embeddings Inference, Ollama, a LiteLLM proxy). The key is {@code
 * SUPPORT_EMBEDDINGS_API_KEY}, else {@code OPENAI_API_KEY}; a server given by base URL needs none.
 *
 * <p>The model is part of the ingestion's pipeline version and of the index's mapping (its
 * dimension), so changing it needs a full rebuild of the knowledge base. The input guard and the
 * answer cache keep the local model whatever this says: their classifier and thresholds were
 * fitted to its vectors.
 *
 * @param provider {@code local} or {@code openai}
 * @param model the model's name ({@link #LOCAL_MODEL} for {@code local})
 * @param baseUrl the server, or null for the provider's public API
 * @param apiKey the key, or null
 */
public record EmbeddingConfig(String provider, String model, String baseUrl, String apiKey) {

  public static final String VARIABLE = "SUPPORT_EMBEDDINGS";
  public static final String KEY_VARIABLE = "SUPPORT_EMBEDDINGS_API_KEY";
  public static final String OPENAI_KEY_VARIABLE = "OPENAI_API_KEY";
  public static final String LOCAL_MODEL = "all-minilm-l6-v2";
  public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
  public static final EmbeddingConfig LOCAL = new EmbeddingConfig("local", LOCAL_MODEL, null, null);

  private static final List<String> PROVIDERS = List.of("local", "openai");

  /** Whether this is the in-process model. */
  public boolean local() {
    return provider.equals("local");
  }

  /**
   * The model's name in the pipeline version and in the index's {@code _meta}: {@link #LOCAL_MODEL}
   * for the local model (so indexes made before this setting existed stay valid), {@code
   * openai:MODEL} otherwise. The base URL is not part of it: the same model served elsewhere makes
   * the same vectors.
   */
  public String name() {
    return local() ? LOCAL_MODEL : provider + ":" + model;
  }

  /** The base URL requests go to: the entry's, or OpenAI's public API. */
  public String effectiveBaseUrl() {
    return baseUrl != null ? baseUrl : OPENAI_BASE_URL;
  }

  /**
   * Reads {@code SUPPORT_EMBEDDINGS}, reporting problems to {@code r} (the caller calls {@link
   * EnvReader#failOnProblems}); on a problem the result is {@link #LOCAL}.
   */
  public static EmbeddingConfig read(EnvReader r) {
    String value = r.string(VARIABLE, "local");
    ProviderEntry entry = ProviderEntry.parse(VARIABLE, value, PROVIDERS, r::problem);
    if (entry == null) {
      return LOCAL;
    }
    String where = VARIABLE + ": entry '" + value + "'";
    if (entry.provider().equals("local")) {
      if (!value.strip().equalsIgnoreCase("local")) {
        r.problem(where + ": local takes no model or base URL, write just 'local'");
      }
      return LOCAL;
    }
    if (entry.model().isEmpty()) {
      r.problem(where + " has no model (write openai:MODEL[@baseUrl])");
      return LOCAL;
    }
    String key = r.string(KEY_VARIABLE, r.string(OPENAI_KEY_VARIABLE, null));
    if (entry.baseUrl() == null && key == null) {
      r.problem(where + " needs " + KEY_VARIABLE + " or " + OPENAI_KEY_VARIABLE
          + " (or a base URL, for a server without keys)");
      return LOCAL;
    }
    return new EmbeddingConfig(entry.provider(), entry.model(), entry.baseUrl(), key);
  }

  /**
   * Reads and checks {@code SUPPORT_EMBEDDINGS} alone.
   *
   * @throws IllegalArgumentException naming the bad entry and the variable
   */
  public static EmbeddingConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    EmbeddingConfig config = read(r);
    r.failOnProblems("embeddings");
    return config;
  }

  /** The key never appears: the config may be logged. */
  @Override
  public String toString() {
    return local()
        ? "local (" + LOCAL_MODEL + ", in process)"
        : name() + "@" + effectiveBaseUrl() + (apiKey == null ? " (no key)" : " (key set)");
  }
}
