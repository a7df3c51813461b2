package dev.supportagent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  static final String KEYS = "app:customer_app:" + ApiKeys.sha256("k");

  @Test
  void should_read_the_escalation_deadlines_and_business_hours() {
    ApiConfig c = ApiConfig.fromEnv(Map.of("SUPPORT_API_KEYS", KEYS, "SUPPORT_SLA_FIRST_RESPONSE_SECONDS", "60",
        "SUPPORT_SLA_RESOLUTION_SECONDS", "600", "SUPPORT_BUSINESS_HOURS", "08-18"));

    assertEquals(60, c.sla().firstResponseSeconds());
    assertEquals(600, c.sla().resolutionSeconds());
    assertEquals("08-18", c.sla().businessHours());
    assertEquals(900, ApiConfig.fromEnv(Map.of("SUPPORT_API_KEYS", KEYS)).sla().firstResponseSeconds());
  }

  @Test
  void should_name_every_bad_escalation_setting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(Map.of(
        "SUPPORT_API_KEYS", KEYS, "SUPPORT_BUSINESS_HOURS", "9 to 5", "SUPPORT_SLA_FIRST_RESPONSE_SECONDS", "0")));

    assertTrue(e.getMessage().contains("SUPPORT_BUSINESS_HOURS"), e.getMessage());
    assertTrue(e.getMessage().contains("SUPPORT_SLA_FIRST_RESPONSE_SECONDS"), e.getMessage());
  }
}
