package dev.supportagent.evaluation.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.canary.CanaryDecision.Margins;
import dev.supportagent.evaluation.canary.CanaryDecision.Recommendation;
import dev.supportagent.evaluation.canary.CanaryDecision.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanaryDecisionTest {

  static ArmStats arm(String name, long turns, long rated, long negative, long escalated, long trips) {
    return new ArmStats(name, turns, rated, negative, escalated, trips, 0.001, 0.0002, turns, 0.8, 0.1);
  }

  static Signal signal(CanaryDecision.Result r, String name) {
    return r.signals().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void should_compute_the_difference_of_two_rates_with_its_normal_interval() {
    // 10/100 against 20/100: diff 0.10, se = sqrt(.1*.9/100 + .2*.8/100) = sqrt(.0025) = 0.05
    Signal s = CanaryDecision.rate("escalation_rate", 10, 100, 20, 100, 0.02, 1);

    assertEquals(0.10, s.diff(), 1e-12);
    assertEquals(0.10 - 1.959964 * 0.05, s.ci95()[0], 1e-9);
    assertEquals(0.10 + 1.959964 * 0.05, s.ci95()[1], 1e-9);
    assertEquals("worse", s.status());
  }

  @Test
  void should_roll_back_when_the_candidate_escalates_clearly_more() {
    CanaryDecision.Result r =
        CanaryDecision.decide(arm("v1", 400, 100, 10, 8, 4), arm("v2", 400, 100, 10, 60, 4), Margins.DEFAULTS);

    assertEquals(Recommendation.ROLLBACK, r.recommendation());
    assertEquals("worse", signal(r, "escalation_rate").status());
    assertTrue(r.reasons().get(0).startsWith("escalation_rate is worse by 0.1300"), r.reasons().toString());
  }

  @Test
  void should_promote_when_every_signal_is_within_its_margin_with_confidence() {
    CanaryDecision.Result r =
        CanaryDecision.decide(arm("v1", 4000, 1000, 100, 40, 40), arm("v2", 4000, 1000, 95, 38, 41), Margins.DEFAULTS);

    assertEquals(Recommendation.PROMOTE, r.recommendation(), r.reasons().toString());
    r.signals().forEach(s -> assertEquals("ok", s.status(), s.name()));
  }

  @Test
  void should_wait_with_too_few_turns_even_when_nothing_looks_worse() {
    CanaryDecision.Result r =
        CanaryDecision.decide(arm("v1", 50, 30, 3, 1, 1), arm("v2", 50, 30, 3, 1, 1), Margins.DEFAULTS);

    assertEquals(Recommendation.WAIT, r.recommendation());
    assertTrue(r.reasons().get(0).startsWith("too few turns"), r.reasons().toString());
  }

  @Test
  void should_wait_when_an_interval_still_allows_a_drop_beyond_the_margin() {
    // 120 ratings each: 10 % against 14 % negative is not clearly worse, nor clearly within 5 points
    CanaryDecision.Result r =
        CanaryDecision.decide(arm("v1", 300, 120, 12, 3, 3), arm("v2", 300, 120, 17, 3, 3), Margins.DEFAULTS);

    assertEquals(Recommendation.WAIT, r.recommendation());
    assertEquals("undecided", signal(r, "negative_feedback_rate").status());
  }

  @Test
  void should_leave_out_feedback_when_too_few_turns_were_rated() {
    CanaryDecision.Result r =
        CanaryDecision.decide(arm("v1", 4000, 5, 5, 40, 40), arm("v2", 4000, 5, 0, 40, 40), Margins.DEFAULTS);

    Signal feedback = signal(r, "negative_feedback_rate");
    assertEquals("no_data", feedback.status());
    assertNull(feedback.diff());
    assertEquals(Recommendation.PROMOTE, r.recommendation());
  }

  @Test
  void should_treat_a_grounding_drop_and_a_cost_rise_as_worse() {
    ArmStats base = new ArmStats("v1", 1000, 0, 0, 10, 10, 0.0010, 0.0001, 1000, 0.85, 0.05);
    ArmStats cand = new ArmStats("v2", 1000, 0, 0, 10, 10, 0.0015, 0.0001, 1000, 0.70, 0.05);

    CanaryDecision.Result r = CanaryDecision.decide(base, cand, Margins.DEFAULTS);

    assertEquals(Recommendation.ROLLBACK, r.recommendation());
    assertEquals("worse", signal(r, "grounding").status());
    assertEquals("worse", signal(r, "cost_per_turn_usd").status());
    assertEquals(2, r.reasons().size());
  }

  @Test
  void should_replace_the_setting_in_an_env_file_and_keep_the_other_lines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.env");
    Files.write(file, List.of("# the worker's settings", "SUPPORT_PROMPT_VERSIONS=support-v1:90,support-v2:10", "SUPPORT_LLM_CONCURRENCY=8"));

    String before = CanarySuite.setEnv(file, "SUPPORT_PROMPT_VERSIONS", "support-v2");

    assertEquals("support-v1:90,support-v2:10", before);
    assertEquals(List.of("# the worker's settings", "SUPPORT_PROMPT_VERSIONS=support-v2", "SUPPORT_LLM_CONCURRENCY=8"),
        Files.readAllLines(file));
    assertNull(CanarySuite.setEnv(dir.resolve("new.env"), "SUPPORT_PROMPT_VERSIONS", "support-v1"));
    assertEquals(List.of("SUPPORT_PROMPT_VERSIONS=support-v1"), Files.readAllLines(dir.resolve("new.env")));
  }

  @Test
  void should_read_since_in_days_hours_minutes_or_iso() {
    assertEquals(Duration.ofDays(7), CanarySuite.duration("7d"));
    assertEquals(Duration.ofHours(12), CanarySuite.duration("12h"));
    assertEquals(Duration.ofMinutes(30), CanarySuite.duration("30m"));
    assertEquals(Duration.ofHours(6), CanarySuite.duration("PT6H"));
  }
}
