package dev.supportagent.activities.model.gateway;

import dev.supportagent.activities.provider.ProviderEntry;
import dev.supportagent.workflows.EnvReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's settings from the environment: each tier's ordered fallback chain
 * ({@code SUPPORT_MODEL_FAST}, {@code SUPPORT_MODEL_STRONG}), the providers' API keys and an
 * optional price table.
 *
 * <p>A chain is a comma-separated list of {@code provider:model[@baseUrl]} entries, tried in order,
 * for example {@code openai:gpt-4o-mini@http://127.0.0.1:8000/v1,anthropic:claude-3-5-haiku-latest}.
 * Unset, a chain is {@code offline}; one that does not end in {@code offline} gets it appended, so
 * the offline answerer is always the last fallback. The model name runs to the first {@code @}, so
 * it may contain colons ({@code openai:llama3.1:8b@http://127.0.0.1:11434/v1}).
 *
 * @param pricesFile a properties file whose prices override and extend the built-in table, or null
 */
public record ModelGatewayConfig(
    Map<ModelTier, List<ModelEndpoint>> chains,
    String openAiApiKey,
    String anthropicApiKey,
    Path pricesFile) {

  public static final String PRICES_VARIABLE = "SUPPORT_MODEL_PRICES";

  public ModelGatewayConfig {
    Map<ModelTier, List<ModelEndpoint>> copy = new EnumMap<>(ModelTier.class);
    for (ModelTier tier : ModelTier.values()) {
      List<ModelEndpoint> chain = chains.get(tier);
      copy.put(tier, chain == null || chain.isEmpty() ? List.of(ModelEndpoint.OFFLINE) : List.copyOf(chain));
    }
    chains = Map.copyOf(copy);
  }

  /** Both tiers offline: no provider configured. */
  public static ModelGatewayConfig offlineOnly() {
    return new ModelGatewayConfig(Map.of(), null, null, null);
  }

  public List<ModelEndpoint> chain(ModelTier tier) {
    return chains.get(tier);
  }

  /** The API key for a provider, or null. */
  public String apiKey(ProviderKind provider) {
    return switch (provider) {
      case OPENAI -> openAiApiKey;
      case ANTHROPIC -> anthropicApiKey;
      case OFFLINE -> null;
    };
  }

  /**
   * Reads and checks the gateway's variables.
   *
   * @throws IllegalArgumentException naming every bad entry and its variable
   */
  public static ModelGatewayConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    ModelGatewayConfig config = read(r);
    r.failOnProblems("model gateway");
    return config;
  }

  /**
   * Reads the gateway's variables, reporting problems to {@code r} so that a process config can
   * report them together with its own; the caller calls {@link EnvReader#failOnProblems}.
   */
  public static ModelGatewayConfig read(EnvReader r) {
    String openAiKey = r.string(ProviderKind.OPENAI.keyVariable(), null);
    String anthropicKey = r.string(ProviderKind.ANTHROPIC.keyVariable(), null);
    Map<ModelTier, List<ModelEndpoint>> chains = new EnumMap<>(ModelTier.class);
    for (ModelTier tier : ModelTier.values()) {
      chains.put(
          tier,
          parseChain(
              tier.variable(),
              r.string(tier.variable(), null),
              p -> p == ProviderKind.OPENAI ? openAiKey != null : anthropicKey != null,
              r::problem));
    }
    Path prices = null;
    String pricesValue = r.string(PRICES_VARIABLE, null);
    if (pricesValue != null) {
      prices = Path.of(pricesValue);
      if (!Files.isReadable(prices)) {
        r.problem(PRICES_VARIABLE + " names '" + pricesValue + "', which is not a readable file");
      }
    }
    return new ModelGatewayConfig(chains, openAiKey, anthropicKey, prices);
  }

  /** Whether an API key is configured for a provider. */
  interface KeyCheck {
    boolean hasKey(ProviderKind provider);
  }

  /** Receives one problem message. */
  interface Problems {
    void report(String message);
  }

  /**
   * Parses one chain. A blank value is {@code offline}; {@code offline} is appended when missing.
   * Every problem names the variable and the entry.
   */
  static List<ModelEndpoint> parseChain(String variable, String value, KeyCheck keys, Problems problems) {
    List<ModelEndpoint> chain = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return List.of(ModelEndpoint.OFFLINE);
    }
    String[] entries = value.split(",", -1);
    boolean offlineSeen = false;
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      String where = variable + ": entry " + (i + 1);
      if (entry.isEmpty()) {
        problems.report(where + " is empty (in '" + value.strip() + "')");
        continue;
      }
      where = variable + ": entry '" + entry + "'";
      if (offlineSeen) {
        problems.report(where + " comes after offline, which always answers, so it would never be used");
        continue;
      }
      ModelEndpoint endpoint = parseEntry(entry, where, keys, problems);
      if (endpoint != null) {
        offlineSeen = endpoint.offline();
        chain.add(endpoint);
      }
    }
    if (!offlineSeen) {
      chain.add(ModelEndpoint.OFFLINE);
    }
    return chain;
  }

  private static ModelEndpoint parseEntry(String entry, String where, KeyCheck keys, Problems problems) {
    int colon = entry.indexOf(':');
    String providerId = colon < 0 ? entry : entry.substring(0, colon);
    ProviderKind provider = ProviderKind.fromId(providerId).orElse(null);
    if (provider == null) {
      problems.report(
          where + " has an unknown provider '" + providerId + "' (expected openai, anthropic or offline)");
      return null;
    }
    if (provider == ProviderKind.OFFLINE) {
      if (colon >= 0) {
        problems.report(where + ": offline takes no model or base URL, write just 'offline'");
        return null;
      }
      return ModelEndpoint.OFFLINE;
    }
    String rest = colon < 0 ? "" : entry.substring(colon + 1);
    int at = rest.indexOf('@');
    String model = (at < 0 ? rest : rest.substring(0, at)).strip();
    String baseUrl = at < 0 ? null : rest.substring(at + 1).strip();
    boolean ok = true;
    if (model.isEmpty()) {
      problems.report(where + " has no model (write " + provider.id() + ":MODEL[@baseUrl])");
      ok = false;
    } else if (model.chars().anyMatch(Character::isWhitespace)) {
      problems.report(where + " has a model name with spaces: '" + model + "'");
      ok = false;
    }
    if (baseUrl != null) {
      String urlProblem = ProviderEntry.urlProblem(baseUrl);
      if (urlProblem != null) {
        problems.report(where + " has a bad base URL '" + baseUrl + "': " + urlProblem);
        ok = false;
      }
      baseUrl = stripTrailingSlashes(baseUrl);
    } else if (!keys.hasKey(provider)) {
      problems.report(
          where + " needs " + provider.keyVariable() + " (or a base URL, for a server without keys)");
      ok = false;
    }
    return ok ? new ModelEndpoint(provider, model, baseUrl) : null;
  }


  private static String stripTrailingSlashes(String url) {
    String s = url;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Keys never appear: the config may be logged. */
  @Override
  public String toString() {
    return "ModelGatewayConfig[fast="
        + chains.get(ModelTier.FAST)
        + ", strong="
        + chains.get(ModelTier.STRONG)
        + ", openAiKey="
        + (openAiApiKey == null ? "unset" : "set")
        + ", anthropicKey="
        + (anthropicApiKey == null ? "unset" : "set")
        + ", pricesFile="
        + pricesFile
        + "]";
  }
}
