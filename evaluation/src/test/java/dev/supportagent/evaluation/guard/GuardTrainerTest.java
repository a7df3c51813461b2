package dev.supportagent.evaluation.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardTrainerTest {

  private static List<GuardRow> rows(int attacks, int benign) {
    List<GuardRow> rows = new ArrayList<>();
    for (int i = 0; i < attacks; i++) {
      rows.add(new GuardRow(i + 1, "a" + i, "attack " + i, true, i % 2 == 0 ? "s1" : "s2"));
    }
    for (int i = 0; i < benign; i++) {
      rows.add(new GuardRow(attacks + i + 1, "b" + i, "benign " + i, false, "s3"));
    }
    return rows;
  }

  @Test
  void should_split_folds_evenly_within_each_source_and_label() {
    List<GuardRow> rows = rows(40, 60);

    int[] folds = GuardTrainer.folds(rows, 5, 7);

    Map<String, int[]> counts = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      counts.computeIfAbsent(rows.get(i).source(), s -> new int[5])[folds[i]]++;
    }
    assertEquals(List.of(4, 4, 4, 4, 4), List.of(counts.get("s1")[0], counts.get("s1")[1], counts.get("s1")[2],
        counts.get("s1")[3], counts.get("s1")[4]));
    for (int c : counts.get("s3")) {
      assertEquals(12, c);
    }
    assertTrue(java.util.Arrays.equals(folds, GuardTrainer.folds(rows, 5, 7)), "same seed, same folds");
  }

  @Test
  void should_choose_the_lowest_threshold_within_the_target_counting_the_rules_blocks() {
    List<GuardRow> rows = rows(0, 100);
    double[] scores = new double[100];
    boolean[] ruleBlocked = new boolean[100];
    for (int i = 0; i < 100; i++) {
      scores[i] = i / 100.0;
    }
    ruleBlocked[0] = true; // one benign row the rules already block

    double t = GuardTrainer.thresholdFor(rows, scores, ruleBlocked, 0.03);

    // 3 % of 100 benign rows = 3 flags; the rules take one, so the classifier may flag 2: 0.98, 0.99
    long flagged = java.util.stream.IntStream.range(1, 100).filter(i -> scores[i] >= t).count();
    assertEquals(2, flagged);
  }

  @Test
  void should_report_unreadable_rows_with_their_line_numbers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("g.jsonl");
    Files.writeString(file, "{\"id\":\"1\",\"text\":\"hi\",\"label\":\"benign\"}\n{\"id\":\"2\",\"text\":\"x\",\"label\":\"maybe\"}\nnot json\n");

    UsageException e = assertThrows(UsageException.class, () -> GuardDataset.read(file));

    assertTrue(e.getMessage().contains("g.jsonl:2: label must be attack or benign"), e.getMessage());
    assertTrue(e.getMessage().contains("g.jsonl:3:"), e.getMessage());
  }

  @Test
  void should_ship_near_misses_that_are_all_benign() {
    List<GuardRow> near = GuardDataset.nearMisses(null);

    assertTrue(near.size() > 100);
    assertTrue(near.stream().noneMatch(GuardRow::attack));
    assertEquals(0, GuardDataset.nearMisses("none").size());
    new ObjectMapper(); // jackson on the test classpath, as in the suite
  }
}
