package dev.supportagent.api;

import dev.supportagent.workflows.EnvReader;
import dev.supportagent.workflows.conversation.ConversationStart;
import java.util.Map;

/** The API's settings, from environment variables (README, Configuration). */
public record ApiConfig(
    String temporalAddress,
    String temporalNamespace,
    String redisUrl,
    String elasticsearchUrl,
    int port,
    ApiKeys keys,
    int keyRequestsPerMinute,
    int endUserRequestsPerMinute,
    int maxBodyBytes,
    long maxUploadBytes,
    long idleTimeoutSeconds) {

  public static ApiConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    String keySpec = r.required("SUPPORT_API_KEYS");
    ApiKeys keys = ApiKeys.of(Map.of());
    if (keySpec != null) {
      try {
        keys = ApiKeys.parse(keySpec);
      } catch (IllegalArgumentException e) {
        r.problem("SUPPORT_API_KEYS: " + e.getMessage());
      }
    }
    ApiConfig config =
        new ApiConfig(
            r.string("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
            r.string("TEMPORAL_NAMESPACE", "default"),
            r.url("SUPPORT_REDIS_URL", "redis://127.0.0.1:6379"),
            r.url("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
            r.port("SUPPORT_API_PORT", 7070),
            keys,
            (int) r.number("SUPPORT_RATE_LIMIT_PER_MINUTE", 3000, 1, 1_000_000),
            (int) r.number("SUPPORT_END_USER_RATE_LIMIT_PER_MINUTE", 60, 1, 1_000_000),
            (int) r.number("SUPPORT_MAX_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
            r.number("SUPPORT_MAX_UPLOAD_BYTES", 25L * 1024 * 1024, 1024, 1024L * 1024 * 1024),
            r.number(
                "SUPPORT_IDLE_TIMEOUT_SECONDS",
                ConversationStart.DEFAULT_IDLE_TIMEOUT_SECONDS,
                10,
                30L * 24 * 3600));
    r.failOnProblems("API");
    return config;
  }
}
