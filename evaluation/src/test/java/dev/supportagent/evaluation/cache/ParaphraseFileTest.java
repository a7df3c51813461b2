package dev.supportagent.evaluation.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.EvalMain;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParaphraseFileTest {

  @Test
  void should_read_pairs_with_defaults_for_kind_and_group() {
    List<ParaphrasePair> pairs =
        ParaphraseFile.parse(
            "f",
            List.of(
                "{\"id\":\"a\",\"q\":\"x?\",\"q2\":\"y?\",\"same\":true,\"extra\":1}",
                "",
                "{\"id\":\"b\",\"q\":\"x?\",\"q2\":\"z?\",\"same\":false,\"kind\":\"hard_negative\",\"group\":\"g\"}"));

    assertEquals(2, pairs.size());
    assertEquals("paraphrase", pairs.get(0).kind());
    assertEquals("a", pairs.get(0).group());
    assertEquals(3, pairs.get(1).line());
    assertEquals("g", pairs.get(1).group());
  }

  @Test
  void should_report_every_unreadable_row_with_its_line() {
    EvalMain.UsageException e =
        assertThrows(
            EvalMain.UsageException.class,
            () ->
                ParaphraseFile.parse(
                    "f",
                    List.of(
                        "{\"id\":\"a\",\"q\":\"x\",\"q2\":\"y\",\"same\":\"yes\"}",
                        "not json",
                        "{\"id\":\"c\",\"q\":\"x\",\"q2\":\"y\",\"same\":false,\"kind\":\"paraphrase\"}",
                        "{\"id\":\"d\",\"q\":\"\",\"q2\":\"y\",\"same\":true}",
                        "{\"id\":\"e\",\"q\":\"x\",\"q2\":\"y\",\"same\":true}",
                        "{\"id\":\"e\",\"q\":\"x\",\"q2\":\"y\",\"same\":true}")));

    String m = e.getMessage();
    assertTrue(m.startsWith("5 unreadable row(s)"), m);
    for (String line : List.of("f:1:", "f:2:", "f:3:", "f:4:", "f:6:")) {
      assertTrue(m.contains(line), line + " in " + m);
    }
    assertTrue(m.contains("contradicts"), m);
    assertTrue(m.contains("duplicate id"), m);
  }

  @Test
  void should_ship_a_readable_built_in_set_with_many_hard_negatives() {
    List<ParaphrasePair> pairs = ParaphraseFile.readBuiltIn();
    long hard = pairs.stream().filter(p -> p.kind().equals("hard_negative")).count();

    assertTrue(pairs.size() >= 1000, "pairs: " + pairs.size());
    assertTrue(hard * 3 >= pairs.size(), "hard negatives: " + hard);
  }

  @Test
  void should_read_the_held_out_set() {
    List<ParaphrasePair> pairs = ParaphraseFile.read(java.nio.file.Path.of("src/main/resources/cache-paraphrases-holdout.jsonl"));
    long same = pairs.stream().filter(ParaphrasePair::same).count();
    long hard = pairs.stream().filter(p -> p.kind().equals("hard_negative")).count();

    assertEquals(717, pairs.size());
    assertEquals(350, same);
    assertEquals(303, hard);
    assertTrue(pairs.stream().allMatch(p -> p.id().startsWith("h")));
  }

  @Test
  void should_exit_2_on_bad_flags() {
    for (String[] args :
        List.of(
            new String[] {"cache", "--from", "high"},
            new String[] {"cache", "--from", "0.99", "--to", "0.9"},
            new String[] {"cache", "--max-wrong", "2"},
            new String[] {"cache", "--folds", "1"},
            new String[] {"cache", "--pairs", "/nonexistent/pairs.jsonl"},
            new String[] {"cache", "--threshold", "0.9", "--folds", "3"},
            new String[] {"cache", "--threshold", "none"},
            new String[] {"cache", "--step"})) {
      assertEquals(2, EvalMain.run(args, java.util.Map.of()), String.join(" ", args));
    }
  }
}
