package dev.supportagent.activities.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.OutputFilterResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutputFilterTest {

  private final OutputFilter filter = new OutputFilter();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Write to help@lumora.example.com today. | Write to [email hidden] today.",
        "Call +1 555 0142 now | Call [phone hidden] now",
        "Call (555) 014-2233. | Call [phone hidden].",
        "UK line +44 20 7946 0958, weekdays | UK line [phone hidden], weekdays",
        "Refunds within 14 days | Refunds within 14 days",
        "Plus costs $39.99 a year | Plus costs $39.99 a year",
        "Order 1234 ships in 2-3 days | Order 1234 ships in 2-3 days",
        "Released on 2026-11-27 | Released on 2026-11-27",
        "Firmware 3.14.159 is out | Firmware 3.14.159 is out",
        "user@localhost is not an address | user@localhost is not an address",
      })
  void should_mask_emails_and_phone_numbers_and_leave_other_numbers(String in, String expected) {
    assertEquals(expected, filter.filter(in).text());
  }

  @Test
  void should_report_what_it_masked() {
    OutputFilterResult r = filter.filter("a@b.example or +1 555 0142");

    assertEquals(GuardAction.REDACT, r.action());
    assertEquals(List.of("EMAIL_ADDRESS", "PHONE_NUMBER"), r.maskedTypes());
  }

  @Test
  void should_stay_fast_on_hostile_input() {
    List<String> hostile =
        List.of(
            "1 ".repeat(50_000),
            "a".repeat(100_000) + "@",
            "a@".repeat(50_000),
            "+(".repeat(50_000),
            "1-".repeat(50_000) + "x");
    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> hostile.forEach(filter::filter), "a pattern backtracks");
  }

  @Test
  void should_keep_the_customers_own_and_the_help_centres_contact_details_and_mask_others() {
    OutputFilterResult r =
        new OutputFilter().filter(
            "We'll write to lena@example.com; call +1 415 555 0100, not bob@example.org.",
            java.util.List.of("my email is lena@example.com"),
            java.util.List.of("Call our support line at +1 415 555 0100."));

    assertTrue(r.text().contains("lena@example.com"), r.text());
    assertTrue(r.text().contains("+1 415 555 0100"), r.text());
    assertFalse(r.text().contains("bob@example.org"), r.text());
  }
}
