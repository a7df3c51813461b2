package dev.supportagent.evaluation.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.activities.model.cache.AnswerCacheSettings;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheSuiteTest {

  @Test
  void should_measure_the_deployed_threshold_when_asked_for_the_default() {
    CacheSuite suite = CacheSuite.fromArgs(new String[] {"--threshold", "default"});

    assertEquals(AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD, suite.fixedThreshold());
  }

  @Test
  void should_measure_a_given_threshold_and_choose_one_without_it() {
    assertEquals(0.97, CacheSuite.fromArgs(new String[] {"--threshold", "0.97", "--max-wrong", "0.02"}).fixedThreshold());
    assertNull(CacheSuite.fromArgs(new String[] {"--max-wrong", "0.02"}).fixedThreshold());
  }

  @Test
  void should_reject_a_fixed_threshold_with_options_that_choose_one() {
    assertThrows(UsageException.class, () -> CacheSuite.fromArgs(new String[] {"--threshold", "0.95", "--from", "0.9"}));
    assertThrows(UsageException.class, () -> CacheSuite.fromArgs(new String[] {"--threshold", "0.95", "--folds", "3"}));
    assertThrows(UsageException.class, () -> CacheSuite.fromArgs(new String[] {"--threshold", "1.5"}));
    assertThrows(UsageException.class, () -> CacheSuite.fromArgs(new String[] {"--threshold", "high"}));
  }

  @Test
  void should_report_hits_wrong_hits_and_the_wrong_share_with_its_interval_at_a_fixed_threshold() {
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 98; i++) {
      outcomes.add(ThresholdChoiceTest.outcome(true, "close_paraphrase", "g", 0.97, false));
    }
    outcomes.add(ThresholdChoiceTest.outcome(true, "surface", "g", Double.NEGATIVE_INFINITY, true));
    outcomes.add(ThresholdChoiceTest.outcome(true, "paraphrase", "g", 0.80, false));
    outcomes.add(ThresholdChoiceTest.outcome(false, "hard_negative", "g", 0.96, false));
    outcomes.add(ThresholdChoiceTest.outcome(false, "hard_negative", "g", 0.94, false));
    outcomes.add(ThresholdChoiceTest.outcome(false, "negative", "g", 0.30, false));

    ObjectNode at = CacheSuite.atThreshold(outcomes, 0.95);

    assertEquals(0.95, at.path("threshold").asDouble());
    assertEquals(100, at.path("hits").asInt());
    assertEquals(99, at.path("right_hits").asInt());
    assertEquals(1, at.path("wrong_hits").asInt());
    assertEquals(0.01, at.path("wrong_share_of_hits").asDouble(), 1e-9);
    assertEquals(0.0018, at.path("wrong_share_of_hits_wilson95").path("low").asDouble(), 1e-9);
    assertEquals(0.0545, at.path("wrong_share_of_hits_wilson95").path("high").asDouble(), 1e-9);
    assertEquals(1.0, at.path("hit_rate_by_kind").path("close_paraphrase").asDouble());
    assertEquals(1.0, at.path("hit_rate_by_kind").path("surface").asDouble(), "an exact hit whatever the threshold");
    assertEquals(0.0, at.path("hit_rate_by_kind").path("paraphrase").asDouble());
    assertEquals(1, at.path("hits_by_kind").path("hard_negative").asInt());
    assertEquals(0, at.path("hits_by_kind").path("negative").asInt());
  }
}
