package dev.supportagent.workflows.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Addresses of the real servers that {@code deploy/local/test} starts for the integration tests
 * ({@code *IT}). Outside that script the tests are skipped, unless {@code SUPPORT_IT_REQUIRED=1},
 * which makes a missing server a failure (so CI can never pass by skipping).
 */
public final class IntegrationEnv {

  private IntegrationEnv() {}

  public static String temporalAddress() {
    return require("SUPPORT_IT_TEMPORAL_ADDRESS");
  }

  public static String elasticsearchUrl() {
    return require("SUPPORT_IT_ES_URL");
  }

  public static String redisUrl() {
    return require("SUPPORT_IT_REDIS_URL");
  }

  /** The Temporal UI of the test stack's dev server. */
  public static String temporalUiUrl() {
    return require("SUPPORT_IT_TEMPORAL_UI_URL");
  }

  /** The node_modules folder holding playwright-core, for browser tests. */
  public static String browserModules() {
    return require("SUPPORT_IT_BROWSER_MODULES");
  }

  /** The Chromium executable the browser tests drive. */
  public static String chromium() {
    return require("SUPPORT_IT_CHROMIUM");
  }

  private static String require(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      if ("1".equals(System.getenv("SUPPORT_IT_REQUIRED"))) {
        throw new IllegalStateException(name + " is not set; run the tests with deploy/local/test");
      }
      Assumptions.abort(name + " is not set: integration tests run under deploy/local/test");
    }
    return value;
  }
}
