package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.ScanVerdict;

/**
 * One link of the input chain. Implementations are stateless and thread-safe, and return a
 * verdict rather than throw: a scanner that cannot decide allows, with a reason saying why.
 */
public interface InputScanner {

  /** The name in configuration, metrics and verdicts, for example {@code prompt_injection}. */
  String name();

  /**
   * Scans one message. Must not put raw message text or personal data into the verdict's
   * reasons. A scanner that rewrites the message (redaction) calls {@link ScanContext#rewrite}
   * and returns a REDACT verdict.
   */
  ScanVerdict scan(ScanContext context);
}
