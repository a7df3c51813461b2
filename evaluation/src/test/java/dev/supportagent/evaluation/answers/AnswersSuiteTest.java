package dev.supportagent.evaluation.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswersSuiteTest {

  @TempDir Path dir;

  private static Path resources() throws Exception {
    return Path.of(AnswersSuiteTest.class.getResource("/answers/questions.jsonl").toURI()).getParent();
  }

  private static Map<String, String> env(FakeSupportApi api) {
    return Map.of("SUPPORT_API_URL", api.url(), "CUSTOMER_APP_KEY", FakeSupportApi.APP_KEY,
        "ADMIN_KEY", FakeSupportApi.ADMIN_KEY);
  }

  @Test
  void should_ingest_the_corpus_ask_every_question_after_its_history_score_and_restore() throws Exception {
    Path res = resources();
    Path out = dir.resolve("run");
    try (FakeSupportApi api = new FakeSupportApi()) {
      int code = EvalMain.run(new String[] {"answers", "--corpus", res.resolve("corpus").toString(),
          "--questions", res.resolve("questions.jsonl").toString(), "--out", out.toString(),
          "--restore", res.resolve("restore").toString(), "--resamples", "200", "--concurrency", "2"}, env(api));

      assertEquals(0, code);
      assertEquals(2, api.uploads.size());
      assertEquals(new FakeSupportApi.Upload(
          List.of("account/password.md", "billing/refunds.md", "shipping/uk.md"), true), api.uploads.get(0),
          "the corpus alone, ids relative to its folder, as a full rebuild");
      assertEquals(new FakeSupportApi.Upload(List.of("welcome.md"), true), api.uploads.get(1), "then restored");
      assertEquals(6, api.messages.get(), "every question once, the rate-limited one retried");
      assertEquals(6, api.closes.get(), "every conversation closed");
      assertTrue(api.historyByConversation.values().stream()
          .anyMatch(h -> h.size() == 2 && h.get(0).path("role").asText().equals("user")
              && h.get(1).path("text").asText().equals("I can send you a reset link.")));
    }

    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(6, m.get("n").asInt());
    assertEquals(0, m.get("errors").asInt());
    assertEquals(1.0, m.at("/by_expect/answer/accuracy").asDouble());
    assertEquals(1.0, m.at("/by_expect/decline/accuracy").asDouble());
    assertEquals(1.0, m.at("/by_expect/escalate/accuracy").asDouble());
    assertEquals(0.5, m.at("/by_expect/refuse/accuracy").asDouble(), "an off-topic decline is not a refusal");
    assertEquals(1, m.at("/by_expect/refuse/behaviours/decline").asInt());
    // q-refund: F1 1 once the marker is out; q-reset: 5 tokens in common of 13 and 7, F1 0.5
    assertEquals(0.75, m.get("answer_f1").asDouble(), 1e-4);
    assertEquals(0.75, m.get("citation_precision").asDouble(), 1e-4);
    assertEquals(1.0, m.get("citation_recall").asDouble(), 1e-4);
    assertEquals(1.0, m.get("groundedness").asDouble(), 1e-4);
    assertTrue(m.get("semantic_similarity").asDouble() > 0.6, m.toString());
    assertEquals(600, m.at("/tokens/input").asInt());
    assertEquals(60, m.at("/tokens/output").asInt());
    assertEquals(0.003, m.get("cost_usd").asDouble(), 1e-9);
    assertTrue(m.at("/latency_ms/p95").isNumber());
    assertTrue(m.at("/ci95/answer_f1").isArray());
    assertEquals(3, m.at("/ingest/documents").asInt());
    assertEquals(res.resolve("restore").toString(), m.get("restored").asText());
    assertEquals(0, m.get("citations_outside_corpus").asInt());

    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("rows.jsonl"))) {
      rows.add(new ObjectMapper().readTree(line));
    }
    assertEquals(6, rows.size());
    JsonNode refund = rows.get(0);
    assertEquals("q-refund", refund.get("id").asText());
    assertEquals(1.0, refund.get("f1").asDouble(), 1e-9);
    assertTrue(refund.get("similarity").asDouble() > 0.99, "the same sentence");
    assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"));
    assertTrue(Files.readString(out.resolve("report.md")).contains("| q-poem | refuse | decline |"));
  }

  @Test
  void should_skip_ingestion_when_asked_and_need_no_admin_key() throws Exception {
    Path res = resources();
    try (FakeSupportApi api = new FakeSupportApi()) {
      int code = EvalMain.run(new String[] {"answers", "--corpus", res.resolve("corpus").toString(),
          "--questions", res.resolve("questions.jsonl").toString(), "--out", dir.resolve("run").toString(),
          "--no-ingest", "--limit", "1", "--resamples", "100"},
          Map.of("SUPPORT_API_URL", api.url(), "CUSTOMER_APP_KEY", FakeSupportApi.APP_KEY));

      assertEquals(0, code);
      assertEquals(0, api.uploads.size());
      assertEquals(1, api.messages.get());
    }
  }

  @Test
  void should_exit_1_when_no_question_gets_a_reply() throws Exception {
    Path res = resources();
    FakeSupportApi api = new FakeSupportApi();
    Map<String, String> env = env(api);
    api.close();

    assertEquals(1, EvalMain.run(new String[] {"answers", "--corpus", res.resolve("corpus").toString(),
        "--questions", res.resolve("questions.jsonl").toString(), "--out", dir.resolve("run").toString(),
        "--no-ingest"}, env));
  }

  @Test
  void should_exit_2_on_bad_arguments_or_rows_with_their_line_numbers() throws Exception {
    Path res = resources();
    Path bad = Files.writeString(dir.resolve("bad.jsonl"),
        "{\"id\":\"1\",\"question\":\"Hi\",\"expect\":\"answer\"}\n{\"id\":\"2\",\"question\":\"Hi\",\"expect\":\"chat\"}\n"
            + "{\"id\":\"1\",\"question\":\"Hi\",\"expect\":\"refuse\"}\n{\"id\":\"4\",\"question\":\"Hi\"}\n");
    Map<String, String> env = Map.of("CUSTOMER_APP_KEY", "k", "ADMIN_KEY", "a", "SUPPORT_API_URL", "http://127.0.0.1:9");
    String corpus = res.resolve("corpus").toString();
    String questions = res.resolve("questions.jsonl").toString();

    EvalMain.UsageException e = assertThrows(EvalMain.UsageException.class, () -> AnswersSuite.read(bad));
    assertTrue(e.getMessage().contains("bad.jsonl:2: expect must be one of answer, decline, escalate, refuse, got 'chat'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:3: id '1' is used twice"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:4: expect must be one of"), e.getMessage());
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", bad.toString()}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", dir.resolve("none").toString(), "--questions", questions}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions, "--concurrency", "0"}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions},
        Map.of("ADMIN_KEY", "a")));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions},
        Map.of("CUSTOMER_APP_KEY", "k")), "ingesting needs the admin key");
  }

  @Test
  void should_report_each_corpus_and_their_mean_and_restore_once_when_given_several() throws Exception {
    Path res = resources();
    Path out = dir.resolve("several");
    String corpus = res.resolve("corpus").toString();
    String questions = res.resolve("questions.jsonl").toString();
    try (FakeSupportApi api = new FakeSupportApi()) {
      int code = EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions,
          "--corpus", corpus, "--questions", questions, "--out", out.toString(),
          "--restore", res.resolve("restore").toString(), "--resamples", "100"}, env(api));

      assertEquals(0, code);
      assertEquals(3, api.uploads.size(), "each corpus, then one restore");
      assertEquals(new FakeSupportApi.Upload(List.of("welcome.md"), true), api.uploads.get(2));
    }

    JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(12, m.get("n").asInt());
    assertEquals(2, m.get("corpora").asInt());
    assertEquals(List.of("answers~questions", "answers~questions~2"), fieldNames(m.get("by_corpus")));
    double f1 = m.get("by_corpus").get("answers~questions").get("answer_f1").asDouble();
    assertEquals((f1 + m.get("by_corpus").get("answers~questions~2").get("answer_f1").asDouble()) / 2, m.at("/mean/answer_f1").asDouble(), 1e-4);
    assertEquals(2, m.at("/mean/corpora").asInt());
    assertTrue(Files.exists(out.resolve("answers~questions~2").resolve("rows.jsonl")), "each corpus's rows in a folder of its own");
  }

  @Test
  void should_average_every_answerer_over_corpora_when_they_ran_in_process() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree("{\"answer_f1\": 0.4, \"semantic_similarity\": 0.7, \"answerers\": {"
        + "\"offline\": {\"answer_f1\": 0.4, \"answerer_ms\": {\"mean\": 2}}, \"naive\": {\"answer_f1\": 0.2}}}");
    JsonNode b = json.readTree("{\"answer_f1\": 0.2, \"semantic_similarity\": 0.5, \"answerers\": {"
        + "\"offline\": {\"answer_f1\": 0.2, \"answerer_ms\": {\"mean\": 4}}, \"naive\": {\"answer_f1\": 0.1}}}");

    JsonNode mean = AnswersSuite.mean(List.of((com.fasterxml.jackson.databind.node.ObjectNode) a,
        (com.fasterxml.jackson.databind.node.ObjectNode) b));

    assertEquals(0.3, mean.get("answer_f1").asDouble(), 1e-9);
    assertEquals(0.6, mean.get("semantic_similarity").asDouble(), 1e-9);
    assertEquals(0.3, mean.at("/answerers/offline/answer_f1").asDouble(), 1e-9);
    assertEquals(3.0, mean.at("/answerers/offline/answerer_ms_mean").asDouble(), 1e-9);
    assertEquals(0.15, mean.at("/answerers/naive/answer_f1").asDouble(), 1e-9);
    assertTrue(mean.get("groundedness") == null, "no corpus had it");
  }

  @Test
  void should_exit_2_when_corpora_and_question_files_do_not_pair_or_weights_need_in_process() throws Exception {
    Path res = resources();
    String corpus = res.resolve("corpus").toString();
    String questions = res.resolve("questions.jsonl").toString();
    Map<String, String> env = Map.of("CUSTOMER_APP_KEY", "k", "ADMIN_KEY", "a", "SUPPORT_API_URL", "http://127.0.0.1:9");

    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions,
        "--corpus", corpus}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--corpus", corpus, "--questions", questions,
        "--offline-weights", "margin=0.1"}, env));
    assertEquals(2, EvalMain.run(new String[] {"answers", "--in-process", "--corpus", corpus, "--questions", questions,
        "--offline-weights", "marjin=0.1"}, env));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
