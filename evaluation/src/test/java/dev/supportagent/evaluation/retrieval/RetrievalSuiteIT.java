package dev.supportagent.evaluation.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.supportagent.workflows.testing.IntegrationEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrieval suite on the real Elasticsearch over two corpora: each reported on its own with
 * the default beside the plain baseline, their mean at the top, and the ablation's deltas.
 */
class RetrievalSuiteIT {

  static final Path SAMPLE_KB = Path.of("..", "deploy", "local", "sample-kb");

  @TempDir Path dir;

  @Test
  void should_report_each_corpus_the_baseline_their_mean_and_each_signal_switched_off() throws Exception {
    Path single = dir.resolve("single.jsonl");
    Files.writeString(single, String.join("\n",
        "{\"id\":\"s1\",\"question\":\"How many days do I have to ask for a refund?\",\"doc_ids\":[\"billing/refunds.md\"],\"expect\":\"answer\"}",
        "{\"id\":\"s2\",\"question\":\"my bulb will not pair with the app\",\"doc_ids\":[\"troubleshooting/bulb-wont-pair.md\"],\"expect\":\"answer\"}"));
    Path followUps = dir.resolve("follow-ups.jsonl");
    Files.writeString(followUps, String.join("\n",
        "{\"id\":\"f1\",\"question\":\"And how do I get a refund if that does not work?\",\"history\":[{\"role\":\"user\",\"text\":\"My lights keep flickering after the update, what should I do?\"},{\"role\":\"agent\",\"text\":\"If a single bulb still flickers after a firmware update, swap it with another bulb.\"}],\"doc_ids\":[\"billing/refunds.md\"],\"expect\":\"answer\"}",
        "{\"id\":\"f2\",\"question\":\"and how much does it cost?\",\"history\":[{\"role\":\"user\",\"text\":\"How long does delivery take to Germany?\"},{\"role\":\"agent\",\"text\":\"Standard delivery takes 2-4 business days after dispatch.\"}],\"doc_ids\":[\"shipping/delivery-times-and-costs.md\"],\"expect\":\"answer\"}"));

    JsonNode out =
        RetrievalSuite.fromArgs(
                new String[] {
                  "--corpus", SAMPLE_KB.toString(), "--questions", single.toString(),
                  "--corpus", SAMPLE_KB.toString(), "--questions", followUps.toString(), "--ablate"
                },
                Map.of("SUPPORT_ES_URL", IntegrationEnv.elasticsearchUrl()))
            .run();

    assertEquals("hybrid-context", out.path("mode").asText());
    assertEquals(2, out.path("corpora").asInt());
    JsonNode single1 = out.path("by_corpus").path("sample-kb~single");
    JsonNode follow = out.path("by_corpus").path("sample-kb~follow-ups");
    for (JsonNode corpus : List.of(single1, follow)) {
      assertEquals(2, corpus.path("n").asInt());
      assertTrue(corpus.path("by_mode").has("plain"), corpus.toString());
      JsonNode ablation = corpus.path("ablation");
      for (String signal : List.of("knn", "bm25", "stems", "context", "topic-change", "named-documents")) {
        JsonNode without = ablation.path("without-" + signal);
        assertTrue(without.has("mrr"), signal + " in " + ablation);
        assertEquals(
            without.path("mrr").asDouble() - corpus.path("mrr").asDouble(),
            without.path("delta").path("mrr").asDouble(), 1e-3);
      }
    }
    // a question alone is its own search: the default is the baseline there
    assertEquals(single1.path("by_mode").path("plain").path("mrr").asDouble(), single1.path("mrr").asDouble(), 1e-9);
    // both follow-ups first: the topic change alone, the one that leans on the delivery question with it
    assertEquals(1.0, follow.path("recall_at_1").asDouble(), 1e-9, follow.toString());
    assertEquals(
        (single1.path("mrr").asDouble() + follow.path("mrr").asDouble()) / 2, out.path("mrr").asDouble(), 1e-3);
    assertEquals(out.path("mrr").asDouble(), out.path("mean").path("hybrid-context").path("mrr").asDouble(), 1e-9);
  }
}
