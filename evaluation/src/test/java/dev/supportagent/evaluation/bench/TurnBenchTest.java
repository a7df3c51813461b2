package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnBenchTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void should_split_a_turn_into_the_intervals_between_its_marks_in_time_order() throws Exception {
    Map<String, List<Double>> steps = new LinkedHashMap<>();
    // the reply's marks, not in time order (the answer's own marks come after the workflow's)
    var marks = json.readTree(
        "{\"api_received\":1002,\"handler_started\":1005,\"retrieval_done\":1025,\"answer_started\":1026,"
            + "\"generation_done\":1030,\"api_replied\":1040}");

    TurnBench.addSteps(steps, 1000, 1043, marks);
    TurnBench.addSteps(steps, 2000, 2050, json.readTree(
        "{\"api_received\":2004,\"handler_started\":2009,\"retrieval_done\":2031,\"answer_started\":2032,"
            + "\"generation_done\":2040,\"api_replied\":2046}"));

    assertEquals(List.of("client_sent → api_received", "api_received → handler_started",
        "handler_started → retrieval_done", "retrieval_done → answer_started", "answer_started → generation_done",
        "generation_done → api_replied", "api_replied → client_received"), List.copyOf(steps.keySet()));
    assertEquals(List.of(2.0, 4.0), steps.get("client_sent → api_received"));
    assertEquals(List.of(20.0, 22.0), steps.get("handler_started → retrieval_done"));
    assertEquals(List.of(3.0, 4.0), steps.get("api_replied → client_received"));
    // the intervals add up to the turn as the client saw it
    assertEquals(43.0, steps.values().stream().mapToDouble(v -> v.get(0)).sum());
  }

  @Test
  void should_keep_the_replys_order_for_marks_at_the_same_millisecond() throws Exception {
    Map<String, List<Double>> steps = new LinkedHashMap<>();

    TurnBench.addSteps(steps, 1000, 1010,
        json.readTree("{\"generation_done\":1005,\"output_filter_done\":1005}"));

    assertTrue(steps.containsKey("generation_done → output_filter_done"), steps.toString());
    assertEquals(List.of(0.0), steps.get("generation_done → output_filter_done"));
  }

  @Test
  void should_print_each_step_with_its_median_and_95th_percentile() {
    Map<String, List<Double>> steps = new LinkedHashMap<>();
    steps.put("a → b", List.of(1.0, 2.0, 3.0, 4.0, 100.0));

    String table = TurnBench.timelineTable(steps);

    assertTrue(table.lines().anyMatch(l -> l.startsWith("a → b") && l.contains("3.0") && l.trim().endsWith("5")), table);
  }
}
