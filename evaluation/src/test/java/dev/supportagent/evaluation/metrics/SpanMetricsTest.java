package dev.supportagent.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanMetricsTest {

  @Test
  void should_count_exact_and_overlapping_spans_per_type_and_micro() {
    SpanMetrics m = new SpanMetrics();
    m.add(
        List.of(new SpanMetrics.Span(0, 5, "EMAIL"), new SpanMetrics.Span(10, 20, "PHONE")),
        List.of(new SpanMetrics.Span(0, 5, "EMAIL"), new SpanMetrics.Span(11, 20, "PHONE"), new SpanMetrics.Span(30, 32, "PHONE")));

    ObjectNode exact = m.exactByType();
    assertEquals(1.0, exact.get("EMAIL").get("f1").asDouble());
    assertEquals(0.0, exact.get("PHONE").get("recall").asDouble());
    assertEquals(2, exact.get("PHONE").get("predicted").asInt());
    ObjectNode overlap = m.overlapByType();
    assertEquals(1.0, overlap.get("PHONE").get("recall").asDouble());
    assertEquals(0.5, overlap.get("PHONE").get("precision").asDouble());
    ObjectNode micro = m.exactMicro(List.of("EMAIL", "PHONE"));
    assertEquals(2, micro.get("support").asInt());
    assertEquals(Stats.round(1 / 3.0, 4), micro.get("precision").asDouble());
    assertEquals(0.5, micro.get("recall").asDouble());
  }

  @Test
  void should_report_null_for_figures_with_nothing_to_divide_by() {
    SpanMetrics m = new SpanMetrics();
    m.declare("API_KEY");

    ObjectNode node = m.exactByType().with("API_KEY");
    assertTrue(node.get("precision").isNull());
    assertTrue(node.get("recall").isNull());
    assertTrue(node.get("f1").isNull());
  }
}
