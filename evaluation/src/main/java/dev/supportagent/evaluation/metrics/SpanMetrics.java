package dev.supportagent.evaluation.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Span-level precision, recall and F1 per type, counted two ways: {@code exact} (type and both
 * offsets equal) and {@code overlap} (the same type and at least one character in common; a gold
 * span is found when any prediction overlaps it, a prediction is right when it overlaps any gold
 * span).
 */
public final class SpanMetrics {

  /** A typed span in a row's text. */
  public record Span(int start, int end, String type) {
    boolean overlaps(Span o) {
      return type.equals(o.type) && start < o.end && o.start < end;
    }
  }

  /** Counts of one type. */
  public static final class Counts {
    int support;
    int predicted;
    int exactTruePositives;
    int overlapFound;
    int overlapRight;
  }

  private final Map<String, Counts> byType = new TreeMap<>();

  /** Adds one row's gold and predicted spans. */
  public void add(List<Span> gold, List<Span> predicted) {
    for (Span g : gold) {
      Counts c = counts(g.type());
      c.support++;
      if (predicted.contains(g)) {
        c.exactTruePositives++;
      }
      if (predicted.stream().anyMatch(g::overlaps)) {
        c.overlapFound++;
      }
    }
    for (Span p : predicted) {
      Counts c = counts(p.type());
      c.predicted++;
      if (gold.stream().anyMatch(p::overlaps)) {
        c.overlapRight++;
      }
    }
  }

  /** Makes a type appear in the report even with no gold or predicted span. */
  public void declare(String type) {
    counts(type);
  }

  public Map<String, Counts> byType() {
    return byType;
  }

  /** {@code {TYPE: {support, predicted, precision, recall, f1}}}, exact matches. */
  public ObjectNode exactByType() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    byType.forEach((type, c) -> node.set(type, figures(c.support, c.predicted, c.exactTruePositives, c.exactTruePositives)));
    return node;
  }

  public ObjectNode overlapByType() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    byType.forEach((type, c) -> node.set(type, figures(c.support, c.predicted, c.overlapRight, c.overlapFound)));
    return node;
  }

  /** Micro-averaged exact figures over {@code types}. */
  public ObjectNode exactMicro(Collection<String> types) {
    int support = 0, predicted = 0, tp = 0;
    for (String t : types) {
      Counts c = byType.get(t);
      if (c != null) {
        support += c.support;
        predicted += c.predicted;
        tp += c.exactTruePositives;
      }
    }
    return figures(support, predicted, tp, tp);
  }

  public ObjectNode overlapMicro(Collection<String> types) {
    int support = 0, predicted = 0, right = 0, found = 0;
    for (String t : types) {
      Counts c = byType.get(t);
      if (c != null) {
        support += c.support;
        predicted += c.predicted;
        right += c.overlapRight;
        found += c.overlapFound;
      }
    }
    return figures(support, predicted, right, found);
  }

  /**
   * Precision is {@code right / predicted}, recall {@code found / support}; a figure with nothing to
   * divide by is null (no prediction, or no gold span).
   */
  static ObjectNode figures(int support, int predicted, int right, int found) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("support", support);
    node.put("predicted", predicted);
    Double precision = predicted == 0 ? null : right / (double) predicted;
    Double recall = support == 0 ? null : found / (double) support;
    put(node, "precision", precision);
    put(node, "recall", recall);
    Double f1 = null;
    if (precision != null && recall != null) {
      f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    } else if (support > 0 || predicted > 0) {
      f1 = 0.0;
    }
    put(node, "f1", f1);
    return node;
  }

  private static void put(ObjectNode node, String key, Double value) {
    if (value == null) {
      node.putNull(key);
    } else {
      node.put(key, Stats.round(value, 4));
    }
  }

  private Counts counts(String type) {
    return byType.computeIfAbsent(type, t -> new Counts());
  }
}
