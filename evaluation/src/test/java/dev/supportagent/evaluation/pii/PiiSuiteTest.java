package dev.supportagent.evaluation.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain;
import dev.supportagent.evaluation.dataset.PiiFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiiSuiteTest {

  @TempDir Path dir;

  private Path dataset() throws Exception {
    Path file = dir.resolve("pii.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"1\",\"text\":\"mail lena@example.com now\",\"spans\":[{\"start\":5,\"end\":21,\"type\":\"EMAIL_ADDRESS\"}]}\n"
            + "{\"id\":\"2\",\"text\":\"Acme Corp ships it\",\"spans\":[{\"start\":0,\"end\":9,\"type\":\"ORGANIZATION\"}]}\n"
            + "{\"id\":\"3\",\"text\":\"call (415) 555-0132\",\"spans\":[]}\n");
    return file;
  }

  @Test
  void should_report_per_type_and_micro_figures_over_the_detected_types() throws Exception {
    ObjectNode out = PiiSuite.fromArgs(new String[] {"--dataset", dataset().toString()}, Map.of()).run();

    assertEquals(3, out.get("n").asInt());
    assertEquals(1.0, out.at("/by_type/EMAIL_ADDRESS/f1").asDouble());
    assertEquals(0.0, out.at("/by_type/PHONE_NUMBER/precision").asDouble(), "an unlabelled number is a false positive");
    assertEquals(false, out.at("/by_type/ORGANIZATION/detected").asBoolean());
    assertEquals(1, out.at("/micro/support").asInt(), "gold spans of undetected types stay out of micro");
    assertEquals(0.5, out.at("/micro/precision").asDouble());
    assertTrue(out.at("/latency_ms/p95").isNumber());
    assertEquals(1, out.at("/by_type/PHONE_NUMBER/errors/spurious").asInt());
  }

  @Test
  void should_exit_2_on_bad_arguments_or_rows() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"id\":\"1\",\"text\":\"abc\",\"spans\":[{\"start\":2,\"end\":9,\"type\":\"X\"}]}\n{\"id\":\"2\",\"text\":\"abc\"}\n");

    EvalMain.UsageException e = assertThrows(EvalMain.UsageException.class, () -> PiiFile.read(bad));
    assertTrue(e.getMessage().contains("bad.jsonl:1: span [2, 9) is outside the text"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:2: field 'spans' must be an array"), e.getMessage());
    assertEquals(2, EvalMain.run(new String[] {"pii", "--dataset", bad.toString()}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"pii"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"pii", "--dataset", dataset().toString(), "--types", "NAMES"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"pii", "--dataset", dataset().toString(), "--phone-regions", "XX"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"pii", "--dataset", dataset().toString(), "--misses", "-1"}, Map.of()));
  }
}
