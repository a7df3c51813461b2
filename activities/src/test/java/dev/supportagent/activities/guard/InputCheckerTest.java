package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import org.junit.jupiter.api.Test;

class InputCheckerTest {

  private final InputChecker checker = new InputChecker(100);

  @Test
  void should_allow_ordinary_text_unchanged_but_for_spacing() {
    InputCheckResult r = checker.check("  How do I   reset my password?\n Thanks ");

    assertEquals(GuardAction.ALLOW, r.action());
    assertEquals("How do I reset my password?\nThanks", r.text());
    assertNull(r.reason());
  }

  @Test
  void should_strip_control_and_zero_width_characters_and_normalise_unicode() {
    InputCheckResult r = checker.check("ｒｅｆｕｎｄ\u200B policy\u0007?");

    assertEquals(GuardAction.ALLOW, r.action());
    assertEquals("refund policy ?", r.text());
  }

  @Test
  void should_block_empty_text_and_text_that_is_only_invisible() {
    assertEquals("empty", checker.check("   ").reason());
    assertEquals("empty", checker.check(null).reason());
    assertEquals(GuardAction.BLOCK, checker.check("\u200B\u200B").action());
  }

  @Test
  void should_block_text_over_the_limit() {
    assertEquals("too_long", checker.check("x".repeat(101)).reason());
  }

  @Test
  void should_block_binary_looking_input() {
    assertEquals("binary_content", checker.check("ab\u0000\u0001\u0002\u0003cd").reason());
  }
}
