package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain;
import dev.supportagent.evaluation.EvalMain.UsageException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporalBenchTest {

  static ObjectNode runInMemory(String... args) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      ObjectNode out = TemporalBench.withTemporal(args, env.getWorkflowClient(), env.getWorkerFactory()).run();
      var open =
          env.getWorkflowServiceStubs().blockingStub().listOpenWorkflowExecutions(
              ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(env.getNamespace()).build());
      assertEquals(0, open.getExecutionsCount(), "every workflow the bench started has ended");
      return out;
    }
  }

  @Test
  void should_report_every_scenario_with_the_updates_asked_when_none_is_named() throws Exception {
    // 5 per workflow: two workflows per scenario, the second partly warm-up
    ObjectNode out = runInMemory("--updates", "7", "--warmup", "3", "--updates-per-workflow", "5", "--work", "none");

    assertEquals("bench temporal", out.path("suite").asText());
    assertEquals("none", out.path("work").asText());
    List<String> names = new ArrayList<>();
    out.path("scenarios").fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of("update", "update-local-activity", "update-activity-eager", "update-activity-no-eager",
            "update-activity-other-queue", "turn-before", "turn-local", "turn-eager"),
        names);
    for (String name : names) {
      JsonNode s = out.path("scenarios").path(name);
      assertEquals(7, s.path("n").asInt(), name);
      JsonNode latency = s.path("latency_ms");
      assertTrue(latency.path("p50").asDouble() <= latency.path("p95").asDouble(), name);
      assertTrue(latency.path("p95").asDouble() <= latency.path("p99").asDouble(), name);
      assertTrue(latency.path("p99").asDouble() <= latency.path("max").asDouble(), name);
      int counted = 0;
      for (JsonNode bucket : s.path("histogram")) {
        counted += bucket.path("count").asInt();
      }
      assertEquals(7, counted, name + ": histogram counts add up to n");
      assertEquals(0, s.path("work_nominal_ms").asInt(), name);
      assertFalse(s.path("first_update_ms").isMissingNode(), name);
    }
    assertTrue(out.path("scenarios").path("turn-eager").has("schedule_to_start_ms"));
    assertFalse(out.path("scenarios").path("turn-local").has("schedule_to_start_ms"));
  }

  @Test
  void should_run_only_the_scenarios_named_and_time_their_stages_work() throws Exception {
    ObjectNode out =
        runInMemory("--scenario", "turn-local", "--scenario", "update", "--updates", "3", "--warmup", "0");

    List<String> names = new ArrayList<>();
    out.path("scenarios").fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("turn-local", "update"), names);
    JsonNode turn = out.path("scenarios").path("turn-local");
    assertEquals(3, turn.path("n").asInt());
    assertEquals(36, turn.path("work_nominal_ms").asInt());
    // four sleeps of 5, 20, 10 and 1 ms, measured inside the activities
    assertTrue(turn.path("work_ms").path("p50").asDouble() >= 36, turn.toString());
    assertTrue(turn.path("latency_ms").path("p50").asDouble() >= turn.path("work_ms").path("p50").asDouble());
    assertEquals(0, out.path("scenarios").path("update").path("work_ms").path("max").asDouble());
  }

  @Test
  void should_reject_an_unknown_scenario_or_work_profile_before_connecting() {
    UsageException e =
        assertThrows(UsageException.class, () -> TemporalBench.fromArgs(new String[] {"--scenario", "nope"}, Map.of()));
    assertTrue(e.getMessage().contains("unknown scenario 'nope'"), e.getMessage());
    assertThrows(UsageException.class, () -> TemporalBench.fromArgs(new String[] {"--work", "heavy"}, Map.of()));
    assertThrows(UsageException.class, () -> TemporalBench.fromArgs(new String[] {"--updates", "0"}, Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"bench", "temporal", "--scenario", "nope"}, Map.of()));
  }

  @Test
  void should_count_latencies_in_ten_millisecond_buckets_and_one_above_two_hundred() {
    var buckets = LatencyHistogram.of(List.of(0.4, 9.99, 10.0, 12.5, 199.9, 200.0, 950.0));

    assertEquals(4, buckets.size(), buckets.toString());
    assertEquals(0, buckets.get(0).path("from_ms").asInt());
    assertEquals(10, buckets.get(0).path("to_ms").asInt());
    assertEquals(2, buckets.get(0).path("count").asInt());
    assertEquals(10, buckets.get(1).path("from_ms").asInt());
    assertEquals(2, buckets.get(1).path("count").asInt());
    assertEquals(190, buckets.get(2).path("from_ms").asInt());
    assertEquals(1, buckets.get(2).path("count").asInt());
    assertEquals(200, buckets.get(3).path("from_ms").asInt());
    assertNull(buckets.get(3).get("to_ms").textValue());
    assertTrue(buckets.get(3).get("to_ms").isNull());
    assertEquals(2, buckets.get(3).path("count").asInt());
  }
}
