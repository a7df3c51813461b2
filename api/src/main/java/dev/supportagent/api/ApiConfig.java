package dev.supportagent.api;

import dev.supportagent.workflows.EnvReader;
import dev.supportagent.workflows.conversation.ConversationStart;
import dev.supportagent.workflows.escalation.EscalationSla;
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
    long idleTimeoutSeconds,
    EscalationSla sla) {

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
                30L * 24 * 3600),
            sla(r));
    r.failOnProblems("API");
    return config;
  }

  private static final java.util.regex.Pattern HOURS = java.util.regex.Pattern.compile("([01][0-9]|2[0-3])-([01][0-9]|2[0-4])");

  private static EscalationSla sla(EnvReader r) {
    String hours = r.string("SUPPORT_BUSINESS_HOURS", null);
    if (hours != null && !HOURS.matcher(hours.strip()).matches()) {
      r.problem("SUPPORT_BUSINESS_HOURS must be HH-HH in UTC, like 08-18, got '" + hours + "'");
      hours = null;
    }
    return new EscalationSla(
        r.number("SUPPORT_SLA_FIRST_RESPONSE_SECONDS", EscalationSla.DEFAULT.firstResponseSeconds(), 10, 30L * 24 * 3600),
        r.number("SUPPORT_SLA_RESOLUTION_SECONDS", EscalationSla.DEFAULT.resolutionSeconds(), 10, 90L * 24 * 3600),
        hours == null ? null : hours.strip());
  }
}
