package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.GuardAction;
import java.util.Locale;

/** What a scanner does when it fires, as configured. */
public enum ScanAction {
  /** Let the reply through; the verdict records the finding (a flag). */
  ALLOW(GuardAction.ALLOW),
  /** Hide the offending parts (values, invalid markers). */
  MASK(GuardAction.REDACT),
  /** Cut the reply at a sentence end. */
  TRUNCATE(GuardAction.REDACT),
  /** Answer with the configured safe answer instead. */
  REPLACE(GuardAction.BLOCK),
  /** Answer with the configured hand-over message and ask for a person. */
  ESCALATE(GuardAction.ESCALATE);

  private final GuardAction guardAction;

  ScanAction(GuardAction guardAction) {
    this.guardAction = guardAction;
  }

  public GuardAction guardAction() {
    return guardAction;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
