package dev.supportagent.activities.model.gateway;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of model provider a chain entry can name. */
public enum ProviderKind {
  /** OpenAI, or any OpenAI-compatible server (vLLM, llama.cpp, Ollama, LiteLLM) by base URL. */
  OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
  ANTHROPIC("anthropic", "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY"),
  /** The offline extractive answerer: no model, no network, always the last entry. */
  OFFLINE("offline", null, null);

  private final String id;
  private final String defaultBaseUrl;
  private final String keyVariable;

  ProviderKind(String id, String defaultBaseUrl, String keyVariable) {
    this.id = id;
    this.defaultBaseUrl = defaultBaseUrl;
    this.keyVariable = keyVariable;
  }

  /** The name used in configuration and in {@link ModelCall#provider()}. */
  public String id() {
    return id;
  }

  /** The provider's public API, used when an entry gives no base URL; null for offline. */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  /** The variable holding the API key; null for offline. */
  public String keyVariable() {
    return keyVariable;
  }

  public static Optional<ProviderKind> fromId(String id) {
    String wanted = id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
  }
}
