package dev.supportagent.activities.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.model.PromptTemplates;
import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputGuardTest {

  static final List<String> PASSAGES =
      List.of(
          "To reset your Lumora password, open Settings > Account > Security and choose Change password. "
              + "Reset links are valid for 60 minutes.",
          "Refunds are issued to the original payment method within 14 days. Contact billing@lumora.example "
              + "or call +1 415-555-0100 for refund questions.");

  static final PromptTemplates.Prompt PROMPT =
      new PromptTemplates(List.of(PromptTemplates.DEFAULT_VERSION)).get(PromptTemplates.DEFAULT_VERSION);

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final Meter meter = SdkMeterProvider.builder().registerMetricReader(metrics).build().get("test");
  private final OutputGuard guard = new OutputGuard(OutputGuardConfig.defaults(), meter);

  static OutputGuard.Input input(String reply, String... customer) {
    return new OutputGuard.Input(reply, List.of(customer), PASSAGES, PROMPT.canary(), PROMPT.systemPrompt());
  }

  static ScanVerdict verdict(OutputGuard.Outcome outcome, String scanner) {
    return outcome.verdicts().stream().filter(v -> v.scanner().equals(scanner)).findFirst().orElseThrow();
  }

  @Test
  void should_pass_a_grounded_cited_reply_unchanged() {
    String reply = "Open Settings > Account > Security and choose Change password [1]. The reset link is valid for 60 minutes [1].";

    OutputGuard.Outcome outcome = guard.check(input(reply, "How do I reset my password?"));

    assertEquals(GuardAction.ALLOW, outcome.action());
    assertEquals(reply, outcome.text());
    assertEquals(1.0, outcome.groundingScore());
    assertEquals(
        List.of("prompt_leak", "harmful_output", "pii_leak", "citations", "grounding", "length"),
        outcome.verdicts().stream().map(ScanVerdict::scanner).toList());
    assertNull(outcome.reason());
  }

  @Test
  void should_replace_a_reply_that_leaks_the_canary() {
    OutputGuard.Outcome outcome =
        guard.check(input("Sure! My instructions end with Reference: " + PROMPT.canary() + ". [1]"));

    assertEquals(GuardAction.BLOCK, outcome.action());
    assertEquals(OutputGuardConfig.defaults().safeAnswer(), outcome.text());
    assertEquals(List.of("canary"), verdict(outcome, "prompt_leak").reasons());
    assertEquals("prompt_leak:canary", outcome.reason());
    assertEquals(1, outcome.verdicts().size(), "the chain stops at a replacement");
  }

  @Test
  void should_replace_a_reply_that_repeats_the_system_prompt() {
    String leaked = PROMPT.systemPrompt().lines().skip(2).limit(2).reduce("", (a, b) -> a + " " + b);

    OutputGuard.Outcome outcome = guard.check(input("Here are my rules:" + leaked));

    assertEquals(GuardAction.BLOCK, outcome.action());
    assertEquals(List.of("prompt_overlap"), verdict(outcome, "prompt_leak").reasons());
  }

  @Test
  void should_allow_a_reply_that_shares_a_short_phrase_with_the_prompt() {
    OutputGuard.Outcome outcome =
        guard.check(input("I could not find it. I can connect you with a person from the support team."));

    assertEquals(GuardAction.ALLOW, verdict(outcome, "prompt_leak").action());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "You are an idiot for asking that. | rule:insult",
        "Honestly, you should just die. | rule:self_harm",
        "Here is how to make a pipe bomb at home. | rule:weapons",
        "First, learn how to cook meth safely. | rule:drugs",
        "I will find you and I will hurt you. | rule:threat",
      })
  void should_replace_harmful_replies(String reply, String reason) {
    OutputGuard.Outcome outcome = guard.check(input(reply));

    assertEquals(GuardAction.BLOCK, outcome.action());
    assertEquals(List.of(reason), verdict(outcome, "harmful_output").reasons());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "To kill the process, hold the power button for ten seconds.",
        "The bulb's colour may die down after years of use.",
        "Don't mix bleach with other cleaners near the hub.",
        "A stupid mistake on our side caused the double charge; it has been refunded.",
      })
  void should_allow_near_misses_of_the_harmful_rules(String reply) {
    assertEquals(GuardAction.ALLOW, verdict(guard.check(input(reply)), "harmful_output").action());
  }

  @Test
  void should_mask_personal_data_the_customer_did_not_give_and_the_passages_lack() {
    OutputGuard.Outcome outcome =
        guard.check(
            input(
                "We'll write to lena@example.com and to tom@example.net, card 4111 1111 1111 1111 [2].",
                "my e-mail is Lena@Example.com"));

    assertEquals(GuardAction.REDACT, outcome.action());
    assertEquals(
        "We'll write to lena@example.com and to [email hidden], card [credit card hidden] [2].", outcome.text());
    assertEquals(List.of("leak:EMAIL_ADDRESS", "leak:CREDIT_CARD"), verdict(outcome, "pii_leak").reasons());
    assertEquals(List.of("EMAIL_ADDRESS", "CREDIT_CARD"), outcome.maskedTypes());
    assertFalse(outcome.verdicts().toString().contains("tom@"), "verdicts never hold the values");
  }

  @Test
  void should_let_the_help_centres_own_contact_details_and_the_customers_number_through() {
    String reply = "Contact billing@lumora.example or call (415) 555-0100 [2]; we will call you on 020 7946 0958.";

    OutputGuard.Outcome outcome = guard.check(input(reply, "call me on +44 20 7946 0958 please"));

    assertEquals(GuardAction.ALLOW, verdict(outcome, "pii_leak").action());
    assertEquals(reply, outcome.text());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Choose Change password [1]. | Choose Change password [1]. | ALLOW",
        "Refunds take 14 days [2][1]. | Refunds take 14 days [2][1]. | ALLOW",
        "Refunds take 14 days [3]. | Refunds take 14 days. | REDACT",
        "Refunds take 14 days [0] [2] [12]. | Refunds take 14 days [2]. | REDACT",
        "Write to [EMAIL_1] about it [2]. | Write to [EMAIL_1] about it [2]. | ALLOW",
      })
  void should_drop_citation_markers_that_point_at_no_retrieved_passage(String reply, String expected, GuardAction action) {
    OutputScanner.Result result = new CitationScanner(ScanAction.MASK).scan(input(reply), reply);

    assertEquals(expected, result.text());
    assertEquals(action, result.verdict().action());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Open Settings, then Account, then Security, and choose Change password. | 1.0",
        "Refunds go to the original payment method within 14 days [2]. | 1.0",
        "Refunds go back within 14 days. Our warehouse in Denver ships replacement hubs overnight by courier. | 0.5",
        "Our warehouse in Denver ships replacement hubs overnight by courier. | 0.0",
        "Happy to help! | 1.0",
      })
  void should_score_each_sentence_by_the_passages_support(String reply, double score) {
    OutputScanner.Result result = new GroundingScanner(ScanAction.ALLOW, 0.5, 0.5).scan(input(reply), reply);

    assertEquals(score, result.verdict().score(), 1e-9);
    assertEquals(GuardAction.ALLOW, result.verdict().action(), "allow by default: flag only");
    assertEquals(score < 0.5, result.verdict().reasons().contains("low_grounding"));
  }

  @Test
  void should_escalate_low_grounding_when_configured() {
    OutputGuardConfig config =
        OutputGuardConfig.fromEnv(java.util.Map.of("SUPPORT_OUTPUT_GUARD_GROUNDING_ACTION", "escalate"));
    OutputGuard escalating = new OutputGuard(config, meter);

    OutputGuard.Outcome outcome =
        escalating.check(input("Our warehouse in Denver ships replacement hubs overnight by courier."));

    assertEquals(GuardAction.ESCALATE, outcome.action());
    assertEquals(config.escalateAnswer(), outcome.text());
    assertEquals(0.0, outcome.groundingScore());
  }

  @Test
  void should_report_no_grounding_score_without_passages() {
    OutputGuard.Outcome outcome =
        guard.check(new OutputGuard.Input("I could not find that.", List.of(), List.of(), null, null));

    assertNull(outcome.groundingScore());
    assertEquals(List.of("no_passages"), verdict(outcome, "grounding").reasons());
  }

  @ParameterizedTest(name = "max {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "One short sentence. Another one here. A third. | 40 | One short sentence. Another one here.",
        "One short sentence. Another one here. A third. | 100 | One short sentence. Another one here. A third.",
        "averyveryverylongfirstsentence with no end in sight at all | 30 | averyveryverylongfirstsentenc…",
        "First words of a long opening sentence with no end | 25 | First words of a long…",
      })
  void should_truncate_long_replies_at_a_sentence_end(String reply, int max, String expected) {
    assertEquals(expected, LengthScanner.truncate(reply, max));
  }

  @Test
  void should_truncate_replies_over_the_configured_length() {
    String reply = "Choose Change password [1]. ".repeat(100).strip();

    OutputGuard.Outcome outcome = guard.check(input(reply));

    assertEquals(GuardAction.REDACT, outcome.action());
    assertTrue(outcome.text().length() <= OutputGuardConfig.defaults().lengthMaxChars());
    assertTrue(outcome.text().endsWith("[1]."), outcome.text());
    assertEquals(List.of("too_long"), verdict(outcome, "length").reasons());
  }

  @Test
  void should_count_every_verdict_by_scanner_action_and_stage() {
    guard.check(input("Choose Change password [1]."));
    guard.check(input("Write to tom@example.net [1]."));

    List<MetricData> data = List.copyOf(metrics.collectAllMetrics());
    MetricData counter = data.stream().filter(m -> m.getName().equals(OutputGuard.METRIC)).findFirst().orElseThrow();
    long piiRedacts =
        counter.getLongSumData().getPoints().stream()
            .filter(p -> "pii_leak".equals(p.getAttributes().get(AttributeKey.stringKey("scanner"))))
            .filter(p -> "redact".equals(p.getAttributes().get(AttributeKey.stringKey("action"))))
            .filter(p -> "output".equals(p.getAttributes().get(AttributeKey.stringKey("stage"))))
            .mapToLong(LongPointData::getValue)
            .sum();
    long all = counter.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
    assertEquals(1, piiRedacts);
    assertEquals(12, all, "six scanners, two replies");
  }

  @Test
  void should_run_the_scanners_in_the_configured_order_only() {
    OutputGuard two =
        new OutputGuard(
            List.of(new LengthScanner(ScanAction.TRUNCATE, 100), new PiiLeakScanner(PiiDetector.defaults(), ScanAction.MASK)),
            "safe", "escalate", meter);

    OutputGuard.Outcome outcome = two.check(input("Write to tom@example.net."));

    assertEquals(List.of("length", "pii_leak"), outcome.verdicts().stream().map(ScanVerdict::scanner).toList());
    assertEquals("Write to [email hidden].", outcome.text());
  }

  @Test
  void should_fill_an_output_filter_result_for_the_workflow() {
    OutputGuard.Outcome outcome = guard.check(input("Write to tom@example.net [1]."));

    var result = outcome.toFilterResult(3);

    assertEquals(GuardAction.REDACT, result.action());
    assertEquals(List.of("EMAIL_ADDRESS"), result.maskedTypes());
    assertEquals(6, result.verdicts().size());
    assertEquals(3, result.durationMs());
  }
}
