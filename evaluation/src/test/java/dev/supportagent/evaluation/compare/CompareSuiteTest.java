package dev.supportagent.evaluation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain;
import dev.supportagent.evaluation.answers.AnswerRow;
import dev.supportagent.evaluation.answers.AnswersMetrics;
import dev.supportagent.evaluation.answers.AnswersReport;
import dev.supportagent.evaluation.answers.Behaviour;
import dev.supportagent.evaluation.metrics.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareSuiteTest {

  @TempDir Path dir;

  private static AnswerRow answer(int i, boolean correct, double f1, double latency) {
    return new AnswerRow("a" + i, "answer", correct ? Behaviour.ANSWER : Behaviour.DECLINE, correct, f1, 0.8, 0.9,
        1.0, 1.0, latency, 100, 20, 0.001, null, "m", "text", List.of("doc.md"), null);
  }

  private static AnswerRow refuse(int i) {
    return new AnswerRow("r" + i, "refuse", Behaviour.REFUSE, true, null, null, null, null, null, 40.0, 0, 0, 0,
        "prompt_injection", null, "no", List.of(), null);
  }

  /** A run of 30 answer rows (row i from {@code answers}) and 10 refuse rows, written as the suite writes it. */
  private Path run(String name, IntFunction<AnswerRow> answers) throws Exception {
    List<AnswerRow> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(answers.apply(i));
    }
    for (int i = 0; i < 10; i++) {
      rows.add(refuse(i));
    }
    ObjectNode metrics = AnswersMetrics.summarise(rows, new Bootstrap(500, 3));
    Path out = dir.resolve(name);
    AnswersReport.write(out, name, metrics, rows);
    return out;
  }

  private Path baseline() throws Exception {
    return run("baseline", i -> answer(i, true, 0.9, 100 + i));
  }

  private static int exit(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "compare";
    System.arraycopy(args, 0, all, 1, args.length);
    return EvalMain.run(all, Map.of());
  }

  @Test
  void should_exit_0_when_nothing_changed() throws Exception {
    Path base = baseline();

    assertEquals(0, exit("--baseline", base.toString(), "--candidate", base.resolve("metrics.json").toString()));
    JsonNode out = CompareSuite.fromArgs(new String[] {"--baseline", base.toString(), "--candidate", base.toString()}).run();
    assertTrue(out.get("paired").asBoolean());
    assertEquals(40, out.get("questions").asInt());
    assertEquals(0.0, out.at("/metrics/answer_f1/diff").asDouble());
    assertEquals(0.0, out.at("/metrics/answer_f1/ci95/0").asDouble());
    assertTrue(out.get("regressions").isEmpty());
  }

  @Test
  void should_exit_1_when_a_gated_metric_drops_beyond_the_allowed_drop() throws Exception {
    Path base = baseline();
    Path worse = run("worse", i -> answer(i, i % 2 == 0, i % 2 == 0 ? 0.9 : 0.1, 100 + i));

    assertEquals(1, exit("--baseline", base.toString(), "--candidate", worse.toString()));
    JsonNode out = CompareSuite.fromArgs(new String[] {"--baseline", base.toString(), "--candidate", worse.toString()}).run();
    List<String> regressions = new ArrayList<>();
    out.get("regressions").forEach(r -> regressions.add(r.asText()));
    assertEquals(List.of("by_expect.answer.accuracy", "answer_f1"), regressions);
    JsonNode f1 = out.at("/metrics/answer_f1");
    assertEquals(0.9, f1.get("baseline").asDouble(), 1e-9);
    assertEquals(0.5, f1.get("candidate").asDouble(), 1e-9);
    assertEquals(-0.4, f1.get("diff").asDouble(), 1e-9);
    assertTrue(f1.at("/ci95/1").asDouble() < 0, "the whole interval is below zero");
    assertEquals(0.02, f1.get("allowed_drop").asDouble());
    assertFalse(out.at("/metrics/by_expect.refuse.accuracy/regressed").asBoolean());
  }

  @Test
  void should_allow_a_drop_within_max_drop_and_fail_it_when_the_allowance_is_smaller() throws Exception {
    Path base = baseline();
    Path slightly = run("slightly", i -> answer(i, true, 0.89, 100 + i));

    assertEquals(0, exit("--baseline", base.toString(), "--candidate", slightly.toString()));
    assertEquals(1, exit("--baseline", base.toString(), "--candidate", slightly.toString(),
        "--max-drop", "answer_f1=0.005"));
    assertEquals(0, exit("--baseline", base.toString(), "--candidate", slightly.toString(),
        "--max-drop", "answer_f1=2%"));
  }

  @Test
  void should_not_fail_the_gate_when_the_interval_includes_zero() throws Exception {
    Path base = baseline();
    // four questions 0.6 worse, two 0.6 better: a mean drop of 0.04, but within noise
    Path noisy = run("noisy", i -> answer(i, true, i < 4 ? 0.3 : i < 6 ? 1.5 : 0.9, 100 + i));

    JsonNode out = CompareSuite.fromArgs(new String[] {"--baseline", base.toString(), "--candidate", noisy.toString()}).run();

    JsonNode f1 = out.at("/metrics/answer_f1");
    assertEquals(-0.04, f1.get("diff").asDouble(), 1e-9);
    assertTrue(f1.at("/ci95/0").asDouble() < 0 && f1.at("/ci95/1").asDouble() > 0, f1.toString());
    assertFalse(f1.get("regressed").asBoolean());
    assertEquals(0, exit("--baseline", base.toString(), "--candidate", noisy.toString()));
  }

  @Test
  void should_gate_latency_and_cost_only_when_asked() throws Exception {
    Path base = baseline();
    Path slow = run("slow", i -> answer(i, true, 0.9, 300 + i));

    assertEquals(0, exit("--baseline", base.toString(), "--candidate", slow.toString()));
    assertEquals(1, exit("--baseline", base.toString(), "--candidate", slow.toString(), "--gate", "default,latency_ms.p95"));
    JsonNode out = CompareSuite.fromArgs(new String[] {"--baseline", base.toString(), "--candidate", slow.toString(),
        "--gate", "latency_ms.p95"}).run();
    assertEquals("lower_is_better", out.at("/metrics/latency_ms.p95/direction").asText());
    assertFalse(out.at("/metrics/answer_f1/gated").asBoolean(), "--gate replaces the default set");
    assertEquals(200.0, out.at("/metrics/latency_ms.p95/diff").asDouble(), 1e-9);
  }

  @Test
  void should_compare_headline_figures_when_rows_are_missing() throws Exception {
    Path base = baseline();
    Path worse = run("worse", i -> answer(i, i % 2 == 0, 0.5, 100 + i));
    Files.createDirectories(dir.resolve("elsewhere"));
    Path moved = Files.copy(worse.resolve("metrics.json"), dir.resolve("elsewhere/metrics.json"));

    JsonNode out = CompareSuite.fromArgs(new String[] {"--baseline", base.toString(), "--candidate", moved.toString()}).run();

    assertFalse(out.get("paired").asBoolean());
    assertEquals(-0.4, out.at("/metrics/answer_f1/diff").asDouble(), 1e-9);
    assertTrue(out.at("/metrics/answer_f1/ci95").isArray(), "from the two files' intervals");
    assertTrue(out.at("/metrics/answer_f1/regressed").asBoolean());
    assertEquals(1, exit("--baseline", base.toString(), "--candidate", moved.toString()));
  }

  @Test
  void should_exit_2_on_bad_arguments_or_files() throws Exception {
    Path base = baseline();
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{not json");
    Path notMetrics = Files.writeString(dir.resolve("other.json"), "{\"recall_at_1\": 0.5}");
    Files.createDirectories(dir.resolve("badrows"));
    Files.copy(base.resolve("metrics.json"), dir.resolve("badrows/metrics.json"));
    Files.writeString(dir.resolve("badrows/rows.jsonl"), "{\"id\":\"a1\",\"expect\":\"answer\",\"correct\":true}\n{\"id\":\n");

    assertEquals(2, exit("--baseline", base.toString()));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", dir.resolve("missing").toString()));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", notJson.toString()));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", notMetrics.toString()));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", base.toString(), "--max-drop", "nope=0.1"));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", base.toString(), "--max-drop", "answer_f1=-1"));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", base.toString(), "--gate", "speed"));
    assertEquals(2, exit("--baseline", base.toString(), "--candidate", dir.resolve("badrows").toString()));
    EvalMain.UsageException e =
        assertThrows(EvalMain.UsageException.class, () -> CompareSuite.load(dir.resolve("badrows")));
    assertTrue(e.getMessage().contains("rows.jsonl:2:"), e.getMessage());
  }
}
