package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.guard.GuardAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputGuardConfigTest {

  @Test
  void should_read_the_shipped_defaults() {
    InputGuardConfig c = InputGuardConfig.defaults();

    assertEquals(List.of("prompt_injection", "harmful", "abuse", "human_request", "off_topic"), c.order());
    assertTrue(c.stopOnBlock());
    assertEquals(4000, c.shape().maxChars());
    assertEquals(GuardAction.ESCALATE, c.humanRequestAction());
    assertEquals(GuardAction.ESCALATE, c.selfHarmAction());
    assertTrue(Double.isNaN(c.classifierThreshold()));
    assertEquals(PassageScanner.Mode.DROP, c.passageAction());
  }

  @Test
  void should_let_variables_override_a_file_that_overrides_the_defaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("guard.properties");
    Files.writeString(file, "abuse.action=escalate\nshape.max_chars=2000\n");

    InputGuardConfig c = InputGuardConfig.load(Map.of(
        "SUPPORT_GUARD_INPUT_FILE", file.toString(),
        "SUPPORT_GUARD_INPUT_SHAPE_MAX_CHARS", "1000",
        "SUPPORT_GUARD_INPUT_PROMPT_INJECTION_CLASSIFIER", "none"));

    assertEquals(GuardAction.ESCALATE, c.abuseAction());
    assertEquals(1000, c.shape().maxChars());
    assertNull(c.classifier());
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource({
    "SUPPORT_GUARD_INPUT_ABUSE_ACTION, shout, abuse.action",
    "SUPPORT_GUARD_INPUT_PROMPT_INJECTION_THRESHOLD, 1.5, prompt_injection.threshold",
    "SUPPORT_GUARD_INPUT_SHAPE_MAX_CHARS, -3, shape.max_chars",
    "SUPPORT_GUARD_INPUT_STOP_ON_BLOCK, yes, stop_on_block",
    "SUPPORT_GUARD_INPUT_ORDER, 'abuse,abuse', abuse is listed twice",
    "SUPPORT_GUARD_INPUT_PASSAGE_ACTION, shred, passage.action",
    "SUPPORT_GUARD_INPUT_HARMFUL_WEAK_RULE_THRESHOLD, lots, harmful.weak_rule_threshold",
    "SUPPORT_GUARD_INPUT_TRESHOLD, 0.5, SUPPORT_GUARD_INPUT_TRESHOLD: unknown setting",
  })
  void should_reject_bad_values_naming_the_setting(String variable, String value, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputGuardConfig.load(Map.of(variable, value)));

    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void should_report_every_problem_at_once(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("guard.properties");
    Files.writeString(file, "abuse.acton=block\n");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputGuardConfig.load(Map.of(
            "SUPPORT_GUARD_INPUT_FILE", file.toString(),
            "SUPPORT_GUARD_INPUT_ABUSE_ACTION", "shout",
            "SUPPORT_GUARD_INPUT_SHAPE_MAX_LINES", "0")));

    assertTrue(e.getMessage().contains("unknown key abuse.acton"), e.getMessage());
    assertTrue(e.getMessage().contains("abuse.action"), e.getMessage());
    assertTrue(e.getMessage().contains("shape.max_lines"), e.getMessage());
  }

  @Test
  void should_reject_a_missing_file() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputGuardConfig.load(Map.of("SUPPORT_GUARD_INPUT_FILE", "/nonexistent/guard.properties")));

    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
  }
}
