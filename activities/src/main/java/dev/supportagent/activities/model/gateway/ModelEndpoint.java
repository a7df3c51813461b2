package dev.supportagent.activities.model.gateway;

import java.util.Objects;

/**
 * One entry of a tier's fallback chain: {@code provider:model[@baseUrl]}, or {@code offline}.
 *
 * @param baseUrl the server to call, or null for the provider's public API
 */
public record ModelEndpoint(ProviderKind provider, String model, String baseUrl) {

  public static final ModelEndpoint OFFLINE = new ModelEndpoint(ProviderKind.OFFLINE, null, null);

  public ModelEndpoint {
    Objects.requireNonNull(provider, "provider");
    if (provider != ProviderKind.OFFLINE && (model == null || model.isBlank())) {
      throw new IllegalArgumentException("a " + provider.id() + " endpoint needs a model");
    }
  }

  public boolean offline() {
    return provider == ProviderKind.OFFLINE;
  }

  /** The server actually called: the base URL given, or the provider's public API. */
  public String effectiveBaseUrl() {
    return baseUrl != null ? baseUrl : provider.defaultBaseUrl();
  }

  /** The entry as configured, without secrets: {@code openai:gpt-4o-mini@http://host/v1}. */
  public String spec() {
    if (offline()) {
      return provider.id();
    }
    return provider.id() + ":" + model + (baseUrl == null ? "" : "@" + baseUrl);
  }

  /**
   * The circuit breaker's key: the provider endpoint, that is the provider and the server it is
   * reached at. Every model served there shares the breaker, since an outage or overload of the
   * server affects them all.
   */
  public String breakerKey() {
    return provider.id() + "@" + effectiveBaseUrl();
  }

  @Override
  public String toString() {
    return spec();
  }
}
