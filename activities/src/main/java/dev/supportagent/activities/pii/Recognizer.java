package dev.supportagent.activities.pii;

import java.util.List;

/**
 * Finds the values of one or a few types. Implementations are stateless, thread-safe and linear
 * in the text: every regular expression uses possessive or bounded quantifiers, and candidates are
 * checked in code (checksums, lengths) rather than by backtracking.
 */
interface Recognizer {

  /** Adds the spans found in {@code text} to {@code out}; they may overlap others' spans. */
  void find(String text, List<PiiSpan> out);
}
