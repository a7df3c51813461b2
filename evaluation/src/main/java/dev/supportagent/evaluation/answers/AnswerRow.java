package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One question's result, a line of {@code rows.jsonl}. Scores that do not apply are null: the
 * answer scores on rows other than {@code answer}, F1 and similarity without a reference answer,
 * groundedness and citation precision without citations, citation recall without gold documents,
 * latency when the call failed.
 */
public record AnswerRow(
    String id,
    String expect,
    Behaviour behaviour,
    boolean correct,
    Double f1,
    Double similarity,
    Double groundedness,
    Double citationPrecision,
    Double citationRecall,
    Double latencyMs,
    long tokensIn,
    long tokensOut,
    double costUsd,
    String reason,
    String model,
    String reply,
    List<String> citations,
    String error) {

  public ObjectNode toJson() {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("id", id);
    row.put("expect", expect);
    row.put("behaviour", behaviour.label());
    row.put("correct", correct);
    row.put("f1", f1);
    row.put("similarity", similarity);
    row.put("groundedness", groundedness);
    row.put("citation_precision", citationPrecision);
    row.put("citation_recall", citationRecall);
    row.put("latency_ms", latencyMs);
    row.put("tokens_in", tokensIn);
    row.put("tokens_out", tokensOut);
    row.put("cost_usd", costUsd);
    row.put("reason", reason);
    row.put("model", model);
    row.put("reply", reply);
    citations.forEach(row.putArray("citations")::add);
    if (error != null) {
      row.put("error", error);
    }
    return row;
  }
}
