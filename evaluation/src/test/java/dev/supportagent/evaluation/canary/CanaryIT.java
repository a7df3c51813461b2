package dev.supportagent.evaluation.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.evaluation.EvalMain;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import dev.supportagent.workflows.testing.IntegrationEnv;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary on the real Elasticsearch: turns written by the turn log's own activity for two prompt
 * versions, then {@code canary} through the command line's entry point, its exit code and the
 * settings file it rewrites.
 */
class CanaryIT {

  static ElasticsearchClient es;
  static ElasticsearchTurnLog log;

  @BeforeAll
  static void writeTurns() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    log = new ElasticsearchTurnLog(es, "turns-canary-it-" + UUID.randomUUID().toString().substring(0, 8), Clock.systemUTC());
    Instant at = Instant.now().minus(Duration.ofHours(1));
    // the steady prompt: 3 in 150 turns escalated, 1 in 10 ratings negative
    // "hasty" escalates 1 in 3; "steady-2" behaves like the first
    for (int i = 0; i < 150; i++) {
      write("support-steady", i, at, i % 50 == 0, i % 10 == 0);
      write("support-hasty", i, at, i % 3 == 0, i % 10 == 0);
      write("support-steady-2", i, at, i % 50 == 1, i % 10 == 1);
    }
    es.indices().refresh(r -> r.index(log.alias()));
  }

  static void write(String prompt, int i, Instant at, boolean escalated, boolean negative) {
    String conversation = prompt + "-" + i;
    List<ScanVerdict> input = i % 40 == 0
        ? List.of(new ScanVerdict("prompt_injection", GuardAction.BLOCK, 0.9, List.of("rule:ignore")))
        : List.of(ScanVerdict.allow("prompt_injection"));
    log.record(new TurnRecord(
        conversation, "turn-1", "m-1", "customer-" + i, at.toString(), "How do I reset my password?", "Like this [1].",
        List.of(), List.of(), input, List.of(), false, escalated, escalated ? "customer_request" : null, null,
        "offline-extractive", "offline", "offline", prompt, 0, 0, 0.0, 40, Map.of(), 0, List.of(), "kb-1", 0.8));
    if (i % 2 == 0) {
      log.recordFeedback(new TurnFeedback(conversation, "turn-1", at.toString(), negative ? "down" : "up", null, at.toString()));
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    log.drop();
    es.close();
  }

  Map<String, String> env() {
    return Map.of("SUPPORT_ES_URL", IntegrationEnv.elasticsearchUrl(), "SUPPORT_TURN_LOG_ALIAS", log.alias());
  }

  @Test
  void should_count_each_arm_from_the_turn_log() throws Exception {
    JsonNode result = CanarySuite.fromArgs(
        new String[] {"--baseline", "support-steady", "--candidate", "support-hasty"}, env()).run();

    JsonNode base = result.get("baseline");
    assertEquals(150, base.get("turns").asLong());
    assertEquals(75, base.get("rated").asLong());
    assertEquals(3, base.get("escalated").asLong());
    assertEquals(4, base.get("guardTrips").asLong());
    assertEquals(50, result.get("candidate").get("escalated").asLong());
  }

  @Test
  void should_recommend_a_rollback_exit_1_and_apply_the_baseline(@TempDir Path dir) throws Exception {
    Path settings = dir.resolve("worker.env");
    Files.write(settings, List.of("SUPPORT_PROMPT_VERSIONS=support-steady:90,support-hasty:10"));

    int code = EvalMain.run(new String[] {"canary", "--baseline", "support-steady", "--candidate", "support-hasty",
        "--apply", settings.toString()}, env());

    assertEquals(1, code);
    assertEquals(List.of("SUPPORT_PROMPT_VERSIONS=support-steady"), Files.readAllLines(settings));
  }

  @Test
  void should_promote_a_candidate_that_behaves_like_the_baseline_and_apply_it(@TempDir Path dir) throws Exception {
    Path settings = dir.resolve("worker.env");
    Files.write(settings, List.of("SUPPORT_PROMPT_VERSIONS=support-steady:50,support-steady-2:50"));

    // wide margins for 150 turns an arm: what is checked is the reading and the applying
    JsonNode result = CanarySuite.fromArgs(new String[] {"--baseline", "support-steady", "--candidate",
        "support-steady-2", "--max-negative-feedback", "0.2", "--max-escalation", "0.05",
        "--max-guard-trips", "0.05", "--apply", settings.toString()}, env()).run();

    assertEquals("promote", result.get("recommendation").asText(), result.toString());
    assertTrue(result.get("applied").get("changed").asBoolean());
    assertEquals(List.of("SUPPORT_PROMPT_VERSIONS=support-steady-2"), Files.readAllLines(settings));
  }

  @Test
  void should_wait_and_change_nothing_when_an_arm_has_too_few_turns(@TempDir Path dir) throws Exception {
    Path settings = dir.resolve("worker.env");
    Files.write(settings, List.of("SUPPORT_PROMPT_VERSIONS=support-steady:90,support-new:10"));

    int code = EvalMain.run(new String[] {"canary", "--baseline", "support-steady", "--candidate", "support-new",
        "--apply", settings.toString()}, env());

    assertEquals(0, code);
    assertEquals(List.of("SUPPORT_PROMPT_VERSIONS=support-steady:90,support-new:10"), Files.readAllLines(settings));
  }

  @Test
  void should_exit_2_on_bad_arguments() {
    assertEquals(2, EvalMain.run(new String[] {"canary", "--baseline", "support-steady"}, env()));
    assertEquals(2, EvalMain.run(new String[] {"canary", "--baseline", "a", "--candidate", "b", "--by", "tier"}, env()));
    assertEquals(2, EvalMain.run(new String[] {"canary", "--baseline", "a", "--candidate", "a"}, env()));
  }
}
