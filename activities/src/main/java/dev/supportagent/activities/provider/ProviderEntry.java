package dev.supportagent.activities.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One {@code provider:model[@baseUrl]} entry of a provider variable, written like an entry of the
 * model chains ({@code SUPPORT_MODEL_FAST}): the embedding model ({@code SUPPORT_EMBEDDINGS}) and
 * the re-ranker ({@code SUPPORT_RERANKER}). The model runs to the first {@code @}, so it may hold
 * colons and slashes ({@code openai:BAAI/bge-small-en-v1.5@http://127.0.0.1:8000/v1}).
 *
 * @param provider the provider's id, lower case
 * @param model the model, empty when the entry names none ({@code tei:@http://127.0.0.1:8080})
 * @param baseUrl the base URL without trailing slashes, or null when the entry gives none
 */
public record ProviderEntry(String provider, String model, String baseUrl) {

  /**
   * Parses one entry. Every problem goes to {@code problems} as a message naming the variable and
   * the entry; the result is then null. Whether a model, a base URL or a key is required is the
   * caller's to check.
   *
   * @param providers the provider ids the variable accepts
   */
  public static ProviderEntry parse(String variable, String entry, List<String> providers, Consumer<String> problems) {
    String where = variable + ": entry '" + entry + "'";
    if (entry.contains(",")) {
      problems.accept(where + " holds more than one entry; " + variable + " takes exactly one");
      return null;
    }
    int colon = entry.indexOf(':');
    String provider = (colon < 0 ? entry : entry.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    if (!providers.contains(provider)) {
      problems.accept(
          where + " has an unknown provider '" + provider + "' (expected " + String.join(", ", providers) + ")");
      return null;
    }
    String rest = colon < 0 ? "" : entry.substring(colon + 1);
    int at = rest.indexOf('@');
    String model = (at < 0 ? rest : rest.substring(0, at)).strip();
    String baseUrl = at < 0 ? null : rest.substring(at + 1).strip();
    if (model.chars().anyMatch(Character::isWhitespace)) {
      problems.accept(where + " has a model name with spaces: '" + model + "'");
      return null;
    }
    if (baseUrl != null) {
      String problem = urlProblem(baseUrl);
      if (problem != null) {
        problems.accept(where + " has a bad base URL '" + baseUrl + "': " + problem);
        return null;
      }
      while (baseUrl.endsWith("/")) {
        baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
      }
    }
    return new ProviderEntry(provider, model, baseUrl);
  }

  /** What is wrong with a base URL, or null when it is a usable http(s) URL. */
  public static String urlProblem(String url) {
    if (url.isEmpty()) {
      return "it is empty";
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "it must start with http:// or https://";
      }
      if (uri.getHost() == null) {
        return "it has no host";
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        return "it must not have a query or fragment";
      }
      return null;
    } catch (URISyntaxException e) {
      return "it is not a URL (" + e.getReason() + ")";
    }
  }
}
