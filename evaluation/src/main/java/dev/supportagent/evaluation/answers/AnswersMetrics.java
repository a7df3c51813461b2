package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.metrics.Bootstrap;
import dev.supportagent.evaluation.metrics.Stats;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The answers suite's figures over its rows (DESIGN.md, metric keys): means over the rows a
 * measure applies to (null when none), how many that was in {@code n_scored}, and a 95 %
 * bootstrap interval per mean in {@code ci95}.
 */
public final class AnswersMetrics {

  /** The mean answer scores: metric key and the row's value; reported in {@link #SCORE_ORDER}. */
  static final Map<String, Function<AnswerRow, Double>> SCORES =
      Map.of(
          "answer_f1", AnswerRow::f1,
          "semantic_similarity", AnswerRow::similarity,
          "groundedness", AnswerRow::groundedness,
          "citation_precision", AnswerRow::citationPrecision,
          "citation_recall", AnswerRow::citationRecall);

  static final List<String> SCORE_ORDER =
      List.of("answer_f1", "semantic_similarity", "groundedness", "citation_precision", "citation_recall");

  private AnswersMetrics() {}

  public static ObjectNode summarise(List<AnswerRow> rows, Bootstrap bootstrap) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode ci = JsonNodeFactory.instance.objectNode();
    out.put("suite", "answers");
    out.put("n", rows.size());
    out.put("errors", rows.stream().filter(r -> r.behaviour() == Behaviour.ERROR).count());
    List<Double> correct = rows.stream().map(r -> r.correct() ? 1.0 : 0.0).toList();
    out.put("accuracy", round(Stats.mean(correct)));
    put(ci, "accuracy", bootstrap.mean(correct));

    ObjectNode byExpect = out.putObject("by_expect");
    for (String expect : Behaviour.EXPECTED) {
      List<AnswerRow> of = rows.stream().filter(r -> expect.equals(r.expect())).toList();
      if (of.isEmpty()) {
        continue;
      }
      List<Double> right = of.stream().map(r -> r.correct() ? 1.0 : 0.0).toList();
      ObjectNode node = byExpect.putObject(expect);
      node.put("n", of.size());
      node.put("accuracy", round(Stats.mean(right)));
      ObjectNode behaviours = node.putObject("behaviours");
      Map<String, Integer> counts = new TreeMap<>();
      of.forEach(r -> counts.merge(r.behaviour().label(), 1, Integer::sum));
      counts.forEach(behaviours::put);
      put(ci, "by_expect." + expect + ".accuracy", bootstrap.mean(right));
    }

    ObjectNode scored = JsonNodeFactory.instance.objectNode();
    for (String key : SCORE_ORDER) {
      List<Double> values = rows.stream().map(SCORES.get(key)).filter(Objects::nonNull).toList();
      scored.put(key, values.size());
      if (values.isEmpty()) {
        out.putNull(key);
      } else {
        out.put(key, round(Stats.mean(values)));
      }
      put(ci, key, bootstrap.mean(values));
    }
    out.set("n_scored", scored);

    List<Double> latency = rows.stream().map(AnswerRow::latencyMs).filter(Objects::nonNull).toList();
    out.set("latency_ms", Stats.latency(latency));
    put(ci, "latency_ms.p95", bootstrap.interval(latency, Bootstrap.P95));
    ObjectNode tokens = out.putObject("tokens");
    tokens.put("input", rows.stream().mapToLong(AnswerRow::tokensIn).sum());
    tokens.put("output", rows.stream().mapToLong(AnswerRow::tokensOut).sum());
    List<Double> cost = rows.stream().map(AnswerRow::costUsd).toList();
    out.put("cost_usd", Stats.round(cost.stream().mapToDouble(Double::doubleValue).sum(), 6));
    out.put("cost_usd_per_question", Stats.round(Stats.mean(cost), 8));
    put(ci, "cost_usd_per_question", bootstrap.mean(cost), 8);

    ObjectNode models = out.putObject("models");
    Map<String, Integer> byModel = new TreeMap<>();
    rows.stream().filter(r -> r.model() != null).forEach(r -> byModel.merge(r.model(), 1, Integer::sum));
    byModel.forEach(models::put);
    out.set("ci95", ci);
    ObjectNode b = out.putObject("bootstrap");
    b.put("level", Bootstrap.LEVEL);
    b.put("resamples", bootstrap.resamples());
    b.put("seed", bootstrap.seed());
    return out;
  }

  private static void put(ObjectNode ci, String key, double[] interval) {
    put(ci, key, interval, 4);
  }

  private static void put(ObjectNode ci, String key, double[] interval, int decimals) {
    if (interval == null) {
      ci.putNull(key);
      return;
    }
    ArrayNode pair = ci.putArray(key);
    pair.add(Stats.round(interval[0], decimals));
    pair.add(Stats.round(interval[1], decimals));
  }

  private static double round(double v) {
    return Stats.round(v, 4);
  }
}
