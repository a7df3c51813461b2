package dev.supportagent.activities.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.pii.PiiType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardConfigTest {

  @TempDir Path dir;

  @Test
  void should_load_the_defaults_from_the_resource() {
    OutputGuardConfig c = OutputGuardConfig.defaults();

    assertEquals(List.of("prompt_leak", "harmful_output", "pii_leak", "citations", "grounding", "length"), c.scanners());
    assertEquals(ScanAction.REPLACE, c.promptLeakAction());
    assertEquals(ScanAction.MASK, c.piiLeakAction());
    assertEquals(ScanAction.ALLOW, c.groundingAction());
    assertEquals(ScanAction.TRUNCATE, c.lengthAction());
    assertEquals(0.5, c.groundingMinScore());
    assertTrue(c.piiLeakTypes().contains(PiiType.CREDIT_CARD));
  }

  @Test
  void should_take_a_file_then_the_environment_over_the_defaults() throws Exception {
    Path file = dir.resolve("guard.properties");
    Files.writeString(file, "grounding.min_score = 0.7\nlength.max_chars = 800\nscanners = pii_leak, length\n");

    OutputGuardConfig c =
        OutputGuardConfig.fromEnv(
            Map.of(
                "SUPPORT_OUTPUT_GUARD_FILE", file.toString(),
                "SUPPORT_OUTPUT_GUARD_LENGTH_MAX_CHARS", "900",
                "SUPPORT_OUTPUT_GUARD_PII_LEAK_TYPES", "email_address,PHONE_NUMBER",
                "SUPPORT_OUTPUT_GUARD_PII_LEAK_ACTION", "Escalate",
                "OTHER", "ignored"));

    assertEquals(0.7, c.groundingMinScore());
    assertEquals(900, c.lengthMaxChars());
    assertEquals(List.of("pii_leak", "length"), c.scanners());
    assertEquals(Set.of(PiiType.EMAIL_ADDRESS, PiiType.PHONE_NUMBER), c.piiLeakTypes());
    assertEquals(ScanAction.ESCALATE, c.piiLeakAction());
  }

  @Test
  void should_reject_a_bad_configuration_naming_every_problem() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "grounding.min_scor = 0.7\n");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OutputGuardConfig.fromEnv(
                    Map.of(
                        "SUPPORT_OUTPUT_GUARD_FILE", file.toString(),
                        "SUPPORT_OUTPUT_GUARD_SCANNERS", "pii_leak,toxicity,pii_leak",
                        "SUPPORT_OUTPUT_GUARD_GROUNDING_ACTION", "mask",
                        "SUPPORT_OUTPUT_GUARD_GROUNDING_MIN_SCORE", "1.5",
                        "SUPPORT_OUTPUT_GUARD_LENGTH_MAX_CHARS", "many",
                        "SUPPORT_OUTPUT_GUARD_PII_LEAK_TYPES", "EMAIL,PHONE_NUMBER",
                        "SUPPORT_OUTPUT_GUARD_LENGHT_ACTION", "truncate")));

    String m = e.getMessage();
    for (String expected :
        List.of(
            "unknown key grounding.min_scor",
            "unknown scanner 'toxicity'",
            "pii_leak is listed twice",
            "grounding.action (SUPPORT_OUTPUT_GUARD_GROUNDING_ACTION): 'mask' is not one of",
            "grounding.min_score (SUPPORT_OUTPUT_GUARD_GROUNDING_MIN_SCORE): '1.5' is not a number from 0 to 1",
            "length.max_chars (SUPPORT_OUTPUT_GUARD_LENGTH_MAX_CHARS): 'many'",
            "unknown type 'EMAIL'",
            "SUPPORT_OUTPUT_GUARD_LENGHT_ACTION: unknown setting")) {
      assertTrue(m.contains(expected), () -> "missing \"" + expected + "\" in:\n" + m);
    }
  }

  @Test
  void should_reject_a_missing_file() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OutputGuardConfig.fromEnv(Map.of("SUPPORT_OUTPUT_GUARD_FILE", dir.resolve("none").toString())));
    assertTrue(e.getMessage().contains("SUPPORT_OUTPUT_GUARD_FILE="), e.getMessage());
  }
}
