package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import org.junit.jupiter.api.Test;

class ShapeScannerTest {

  private final InputGuard guard =
      InputGuard.builder(InputGuardConfig.defaults()).classifier(null).build();

  @Test
  void should_block_empty_text_and_text_that_is_only_invisible() {
    assertEquals("empty", guard.check("   ").reason());
    assertEquals("empty", guard.check(null).reason());
    InputCheckResult invisible = guard.check("\u200B\u200B\u200B");
    assertEquals(GuardAction.BLOCK, invisible.action());
    assertEquals("empty", invisible.reason());
  }

  @Test
  void should_block_text_over_the_limit_before_normalising_it() {
    InputCheckResult r = guard.check("x".repeat(4001));

    assertEquals("too_long", r.reason());
    assertEquals("", r.text());
    assertEquals(1, r.verdicts().size());
  }

  @Test
  void should_block_binary_looking_input() {
    assertEquals("binary_content", guard.check("ab\u0000\u0001\u0002\u0003cd").reason());
    assertEquals("binary_content", guard.check("\uFFFD\uFFFD\uFFFD\uFFFD abc").reason());
  }

  @Test
  void should_block_too_many_lines_and_long_runs() {
    assertEquals("too_many_lines", guard.check("a\n".repeat(250)).reason());
    assertEquals("repeated_characters", guard.check("help" + "!".repeat(300)).reason());
  }

  @Test
  void should_let_a_stray_control_character_through_as_a_space() {
    InputCheckResult r = guard.check("refund\u0007 policy");

    assertEquals(GuardAction.ALLOW, r.action());
    assertEquals("refund policy", r.text());
  }
}
