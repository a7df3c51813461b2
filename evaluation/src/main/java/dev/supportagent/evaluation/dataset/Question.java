package dev.supportagent.evaluation.dataset;

import java.util.List;

/** A row of a question file (DESIGN.md, evaluation command line). */
public record Question(
    int line, String id, String question, List<Turn> history, List<String> docIds, String answer, String expect) {

  /** An earlier message: role {@code user} or {@code agent}. */
  public record Turn(String role, String text) {}

  /** The history's texts, oldest first. */
  public List<String> historyTexts() {
    return history.stream().map(Turn::text).toList();
  }
}
