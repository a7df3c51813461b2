package dev.supportagent.activities.model.gateway;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * Builds the langchain4j streaming model for a chain entry. Neither streaming model retries (the
 * gateway does, see {@link RetryPolicy}); both run over {@link ObservedHttpClient}.
 */
final class ProviderModels {

  /** langchain4j's Anthropic client insists on a key; a keyless server behind a base URL gets this. */
  static final String NO_KEY = "none";

  private ProviderModels() {}

  static StreamingChatModel create(ModelEndpoint endpoint, String apiKey, Duration timeout) {
    var http = JdkHttpClient.builder().httpClientBuilder(new ObservedHttpClient.Builder());
    return switch (endpoint.provider()) {
      case OPENAI ->
          OpenAiStreamingChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.effectiveBaseUrl())
              // null for an OpenAI-compatible server without keys: no Authorization header
              .apiKey(apiKey)
              .modelName(endpoint.model())
              .timeout(timeout)
              .build();
      case ANTHROPIC ->
          AnthropicStreamingChatModel.builder()
              .httpClientBuilder(http)
              // the client appends "messages" to the base URL as is
              .baseUrl(endpoint.effectiveBaseUrl() + "/")
              .apiKey(apiKey == null ? NO_KEY : apiKey)
              .modelName(endpoint.model())
              .timeout(timeout)
              .build();
      case OFFLINE -> throw new IllegalArgumentException("offline has no model");
    };
  }
}
