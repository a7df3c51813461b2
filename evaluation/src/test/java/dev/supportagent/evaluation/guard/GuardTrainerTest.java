package dev.supportagent.evaluation.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
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

  /** Rows of one source and label, each with a score for each classifier. */
  private static void add(List<GuardRow> rows, List<double[]> scores, String source, boolean attack, double[][] s) {
    for (double[] pair : s) {
      rows.add(new GuardRow(rows.size() + 1, source + rows.size(), "t", attack, source));
      scores.add(pair);
    }
  }

  private static double[] column(List<double[]> scores, int c) {
    return scores.stream().mapToDouble(p -> p[c]).toArray();
  }

  @Test
  void should_keep_every_benign_source_within_its_own_target_when_choosing_both_thresholds() {
    List<GuardRow> rows = new ArrayList<>();
    List<double[]> scores = new ArrayList<>();
    double[][] plain = new double[100][];
    for (int i = 0; i < 100; i++) {
      plain[i] = new double[] {i / 200.0, i / 200.0}; // up to 0.495 on both
    }
    add(rows, scores, "plain", false, plain);
    // a gray source whose rows the harmful classifier scores high: 0.60 to 0.69
    double[][] gray = new double[10][];
    for (int i = 0; i < 10; i++) {
      gray[i] = new double[] {0.1, Double.parseDouble("0.6" + i)};
    }
    add(rows, scores, "gray", false, gray);
    add(rows, scores, "harm", true, new double[][] {{0.1, 0.65}, {0.1, 0.67}, {0.1, 0.9}});
    add(rows, scores, "inj", true, new double[][] {{0.8, 0.1}, {0.6, 0.1}});
    boolean[] ruleBlocked = new boolean[rows.size()];

    GuardTrainer strict = new GuardTrainer(new GuardTrainer.Settings(0.1, 0.01, 5, 7, true, Map.of()));
    GuardTrainer lenient = new GuardTrainer(new GuardTrainer.Settings(0.1, 0.01, 5, 7, true, Map.of("gray", 0.2)));
    double[] t = strict.thresholdsFor(rows, column(scores, 0), column(scores, 1), ruleBlocked);
    double[] l = lenient.thresholdsFor(rows, column(scores, 0), column(scores, 1), ruleBlocked);

    // 1 % of "gray" (10 rows) is no row: the harmful threshold sits above every gray row
    assertTrue(t[1] > 0.69, () -> java.util.Arrays.toString(t));
    // 20 % of "gray" is two rows: the two highest (0.68, 0.69) may be flagged, catching 0.9 only
    assertTrue(l[1] > 0.67 && l[1] <= 0.68, () -> java.util.Arrays.toString(l));
    // 1 % of "plain" (100 rows) is one row: the injection threshold flags at most the top plain row
    long plainFlagged = java.util.stream.IntStream.range(0, 100)
        .filter(i -> scores.get(i)[0] >= t[0] || scores.get(i)[1] >= t[1]).count();
    assertTrue(plainFlagged <= 1, () -> plainFlagged + " plain rows flagged at " + java.util.Arrays.toString(t));
    assertTrue(t[0] <= 0.6, "both injection attacks caught: " + t[0]);
  }

  /** 60 rows of each kind: dimension 0 marks injections, dimension 1 harmful requests; benign rows are neither. */
  private static void separableKinds(List<GuardRow> rows, List<float[]> x) {
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 60; i++) {
      rows.add(new GuardRow(i, "i" + i, "t", true, "inj"));
      x.add(new float[] {1 + (float) r.nextGaussian() * 0.1f, 0, (float) r.nextGaussian()});
      rows.add(new GuardRow(i, "h" + i, "t", true, "harm"));
      x.add(new float[] {0, 1 + (float) r.nextGaussian() * 0.1f, (float) r.nextGaussian()});
      rows.add(new GuardRow(i, "b" + i, "t", false, "benign"));
      x.add(new float[] {0, 0, (float) r.nextGaussian()});
    }
  }

  @Test
  void should_train_each_classifier_only_on_the_attacks_it_is_for() {
    List<GuardRow> rows = new ArrayList<>();
    List<float[]> x = new ArrayList<>();
    separableKinds(rows, x);
    GuardTrainer trainer = new GuardTrainer(GuardTrainer.Settings.DEFAULT,
        Map.of("inj", GuardTrainer.Kind.INJECTION, "harm", GuardTrainer.Kind.HARMFUL));

    GuardTrainer.Pair pair = trainer.trainPair(rows, x, new boolean[rows.size()], null, null);

    assertEquals(dev.supportagent.activities.guard.AttackClassifier.HARM_FEATURES, pair.harmful().features());

    float[] injection = {1, 0, 0};
    float[] harmful = {0, 1, 0};
    assertTrue(pair.injection().score(injection, "t") > 0.9);
    assertTrue(pair.harmful().score(harmful, "t") > 0.9);
    // neither learnt the other's attacks: a harmful request is no injection to the injection classifier
    assertTrue(pair.injection().score(harmful, "t") < 0.5, "injection on harmful: " + pair.injection().score(harmful, "t"));
    assertTrue(pair.harmful().score(injection, "t") < 0.5, "harmful on injection: " + pair.harmful().score(injection, "t"));
  }

  @Test
  void should_train_a_hidden_layer_when_the_settings_ask_for_one() {
    List<GuardRow> rows = new ArrayList<>();
    List<float[]> x = new ArrayList<>();
    separableKinds(rows, x);
    GuardTrainer.Settings d = GuardTrainer.Settings.DEFAULT;
    GuardTrainer trainer = new GuardTrainer(new GuardTrainer.Settings(d.l2(), d.targetFpr(), d.innerFolds(), d.seed(),
        d.balance(), d.sourceFpr(), new dev.supportagent.activities.guard.Mlp.Settings(8, 1e-3, 1e-2, 16, 60, 6, 1),
        false),
        Map.of("inj", GuardTrainer.Kind.INJECTION, "harm", GuardTrainer.Kind.HARMFUL));

    GuardTrainer.Pair pair = trainer.trainPair(rows, x, new boolean[rows.size()], null, null);

    assertEquals(8, pair.injection().hidden().length);
    assertEquals(3, pair.harmful().dimensions());

    float[] injection = {1, 0, 0};
    float[] harmful = {0, 1, 0};
    assertTrue(pair.injection().score(injection) > 0.9);
    assertTrue(pair.harmful().score(harmful) > 0.9);
    // neither learnt the other's attacks: a harmful request is no injection to the injection classifier
    assertTrue(pair.injection().score(harmful) < 0.5, "injection on harmful: " + pair.injection().score(harmful));
    assertTrue(pair.harmful().score(injection) < 0.5, "harmful on injection: " + pair.harmful().score(injection));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
    "--kind=advbench=plain", "--kind=advbench", "--source-fpr=phtest=2", "--source-fpr=phtest", "--balance=maybe",
  })
  void should_refuse_bad_training_options_as_usage_errors(String option) {
    String[] parts = option.split("=", 2);

    assertThrows(UsageException.class,
        () -> GuardSuite.fromArgs(new String[] {"--dataset", "g.jsonl", parts[0], parts[1]}, Map.of()));
  }

  @Test
  void should_take_several_datasets_and_the_known_sources_targets() {
    GuardSuite suite = GuardSuite.fromArgs(
        new String[] {"--dataset", "a.jsonl", "--dataset", "b.jsonl", "--source-fpr", "mine=0.05"}, Map.of());

    assertEquals(0.05, GuardSuite.sourceFpr(Options.parse(new String[] {"--source-fpr", "mine=0.05"},
        java.util.Set.of("--source-fpr"))).get("mine"));
    assertEquals(0.25, GuardTrainer.Settings.DEFAULT.target("orbench-hard"));
    assertEquals(0.05, GuardTrainer.Settings.DEFAULT.target("deepset-train"));
    assertEquals(0.01, GuardTrainer.Settings.DEFAULT.target("banking77-train"), "customers' questions keep 1 %");
    assertEquals(List.of(Path.of("a.jsonl"), Path.of("b.jsonl")), suite.datasets());
  }
}
