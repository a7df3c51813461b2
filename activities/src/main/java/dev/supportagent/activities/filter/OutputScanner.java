package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;

/**
 * One check of a reply in the {@link OutputGuard} chain. Implementations are stateless and
 * thread-safe, linear in the reply and the passages, and never put raw personal data in a verdict.
 */
public interface OutputScanner {

  /** The name in verdicts, metrics and configuration, for example {@code pii_leak}. */
  String name();

  /**
   * Checks {@code text} (the reply as earlier scanners left it) against {@code input}. Returns the
   * verdict and the text to pass on: changed only when the verdict's action is REDACT (masked,
   * truncated, markers dropped). A BLOCK or ESCALATE verdict ends the chain and the guard answers
   * with its safe text.
   */
  Result scan(OutputGuard.Input input, String text);

  /** A verdict and the text after it. */
  record Result(ScanVerdict verdict, String text) {}
}
