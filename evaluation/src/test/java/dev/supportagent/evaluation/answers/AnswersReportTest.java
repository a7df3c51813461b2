package dev.supportagent.evaluation.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.metrics.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswersReportTest {

  @TempDir Path dir;

  static AnswerRow answer(String id, boolean correct, double f1, Double precision, double latency) {
    return new AnswerRow(id, "answer", correct ? Behaviour.ANSWER : Behaviour.DECLINE, correct, f1, 0.8, 1.0,
        precision, 1.0, latency, 100, 20, 0.001, null, "offline-extractive", "Refunds <b>take</b> | 30 days.",
        List.of("billing/refunds.md"), null);
  }

  static AnswerRow other(String id, String expect, Behaviour behaviour, double latency) {
    return new AnswerRow(id, expect, behaviour, behaviour.label().equals(expect), null, null, null, null, null,
        latency, 0, 0, 0, null, null, "…", List.of(), null);
  }

  static List<AnswerRow> rows() {
    return List.of(
        answer("a1", true, 1.0, 1.0, 100),
        answer("a2", true, 0.5, null, 200),
        answer("a3", false, 0.0, 0.5, 300),
        other("d1", "decline", Behaviour.DECLINE, 50),
        other("r1", "refuse", Behaviour.REFUSE, 40),
        other("r2", "refuse", Behaviour.DECLINE, 60));
  }

  @Test
  void should_summarise_rows_into_the_design_keys() {
    ObjectNode m = AnswersMetrics.summarise(rows(), new Bootstrap(500, 1));

    assertEquals(6, m.get("n").asInt());
    assertEquals(4.0 / 6, m.get("accuracy").asDouble(), 1e-4);
    assertEquals(3, m.at("/by_expect/answer/n").asInt());
    assertEquals(0.6667, m.at("/by_expect/answer/accuracy").asDouble(), 1e-9);
    assertEquals(0.5, m.at("/by_expect/refuse/accuracy").asDouble());
    assertEquals(1, m.at("/by_expect/refuse/behaviours/decline").asInt());
    assertFalse(m.path("by_expect").has("escalate"), "no escalate rows, no entry");
    assertEquals(0.5, m.get("answer_f1").asDouble(), 1e-9);
    assertEquals(0.75, m.get("citation_precision").asDouble(), 1e-9, "the uncited row is left out");
    assertEquals(2, m.at("/n_scored/citation_precision").asInt());
    assertEquals(0.8, m.get("semantic_similarity").asDouble(), 1e-9);
    assertEquals(300, m.at("/tokens/input").asInt());
    assertEquals(60, m.at("/tokens/output").asInt());
    assertEquals(0.003, m.get("cost_usd").asDouble(), 1e-9);
    assertTrue(m.at("/latency_ms/p95").isNumber());
    JsonNode ci = m.get("ci95");
    assertEquals(0.8, ci.get("semantic_similarity").get(0).asDouble(), 1e-9, "constant values: zero width");
    assertEquals(0.8, ci.get("semantic_similarity").get(1).asDouble(), 1e-9);
    assertTrue(ci.get("answer_f1").get(0).asDouble() <= 0.5 && 0.5 <= ci.get("answer_f1").get(1).asDouble());
    assertTrue(ci.has("by_expect.refuse.accuracy"));
    assertTrue(ci.get("latency_ms.p95").isArray());
  }

  @Test
  void should_write_metrics_rows_markdown_and_self_contained_html() throws Exception {
    ObjectNode m = AnswersMetrics.summarise(rows(), new Bootstrap(200, 1));

    AnswersReport.write(dir, "questions.jsonl on kb", m, rows());

    JsonNode written = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    assertEquals(new ObjectMapper().readTree(m.toString()), written);
    List<String> lines = Files.readAllLines(dir.resolve("rows.jsonl"));
    assertEquals(6, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals("a1", first.get("id").asText());
    assertEquals("answer", first.get("behaviour").asText());
    assertEquals("billing/refunds.md", first.at("/citations/0").asText());
    assertTrue(first.has("citation_precision") && first.has("latency_ms") && first.has("cost_usd"));

    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("| answer_f1 | 0.5 | "), md);
    assertTrue(md.contains("| citation_precision | 0.75 | "), md);
    assertTrue(md.contains("| refuse | 2 | 0.5 | "), md);
    assertTrue(md.contains("| r2 | refuse | decline |"), "wrong rows listed: " + md);
    assertTrue(md.contains("<b>take</b> \\| 30 days"), "a pipe in a reply does not break the table");

    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("<svg"), "charts inline");
    assertEquals(3, html.split("<svg", -1).length - 1, "metrics, accuracy by expectation, latency");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"));
    assertFalse(html.contains("src="), "nothing loaded from elsewhere");
    assertTrue(html.contains("&lt;b&gt;take&lt;/b&gt;"), "reply text escaped");
  }
}
