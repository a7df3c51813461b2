package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardBenchTest {

  @TempDir Path dir;

  @Test
  void should_time_the_chain_over_replies_built_from_the_corpus() throws Exception {
    Files.writeString(
        dir.resolve("a.md"),
        "# Reset\n\nOpen Settings and choose Change password. Links are valid for 60 minutes.\n\n"
            + "# Refunds\n\nRefunds go to the original payment method within 14 days. Contact billing for help.\n");
    Files.writeString(
        dir.resolve("b.md"),
        "# Shipping\n\nOrders ship within two working days. Tracking links arrive by e-mail.\n\n"
            + "# Returns\n\nReturns are free within 30 days. Pack the item in its original box.\n\n"
            + "# Warranty\n\nBulbs have a two-year warranty. The hub has three years.\n");

    ObjectNode out =
        OutputGuardBench.fromArgs(
                new String[] {"--corpus", dir.toString(), "--replies", "50", "--warmup", "10", "--embedding-sample", "0"},
                Map.of())
            .run();

    assertEquals(50, out.get("replies").asInt());
    assertTrue(out.at("/latency_ms/p95").asDouble() > 0);
    assertTrue(out.get("mean_grounding_score").asDouble() > 0.5, out.toString());
  }

  @Test
  void should_exit_2_for_a_missing_corpus() {
    assertEquals(2, EvalMain.run(new String[] {"bench", "output-guard", "--corpus", dir.resolve("none").toString()}, Map.of()));
  }
}
