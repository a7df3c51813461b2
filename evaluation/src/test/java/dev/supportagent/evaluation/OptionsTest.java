package dev.supportagent.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.EvalMain.UsageException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void should_read_a_fraction_or_its_default() {
    Options options = Options.parse(new String[] {"--fail-rate", "0.25"}, Set.of("--fail-rate", "--other"));

    assertEquals(0.25, options.fraction("--fail-rate", 0.5));
    assertEquals(0.5, options.fraction("--other", 0.5));
  }

  @Test
  void should_reject_a_fraction_outside_0_to_1_or_not_a_number() {
    for (String bad : new String[] {"1.5", "-0.1", "half", "NaN"}) {
      Options options = Options.parse(new String[] {"--fail-rate", bad}, Set.of("--fail-rate"));
      assertThrows(UsageException.class, () -> options.fraction("--fail-rate", 0.5), bad);
    }
  }

  @Test
  void should_read_flags_without_values_between_options() {
    Options options =
        Options.parse(new String[] {"--corpus", "kb", "--no-ingest", "--seed", "7"}, Set.of("--corpus", "--seed"),
            Set.of("--no-ingest", "--other-flag"));

    assertEquals("kb", options.string("--corpus", null));
    assertEquals(7, options.integer("--seed", 0, 0));
    assertTrue(options.flag("--no-ingest"));
    assertFalse(options.flag("--other-flag"));
    assertThrows(UsageException.class, () -> Options.parse(new String[] {"--no-ingest", "x"}, Set.of(), Set.of("--no-ingest")));
  }
}
