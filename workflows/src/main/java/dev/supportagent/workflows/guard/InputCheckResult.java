package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param action the strictest action of the scanners (BLOCK over ESCALATE over REDACT over ALLOW)
 * @param text the normalised message to use downstream, with personal data replaced by typed
 *     placeholders when the action is REDACT
 * @param reason machine-readable reason when the action is not ALLOW, else null
 * @param verdicts each scanner's verdict, in chain order (no raw personal data)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InputCheckResult(
    GuardAction action, String text, String reason, long durationMs, List<ScanVerdict> verdicts, long endedAtMs) {

  public InputCheckResult {
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  public InputCheckResult(GuardAction action, String text, String reason, long durationMs) {
    this(action, text, reason, durationMs, List.of());
  }

  public InputCheckResult(
      GuardAction action, String text, String reason, long durationMs, List<ScanVerdict> verdicts) {
    this(action, text, reason, durationMs, verdicts, 0);
  }

  public InputCheckResult withDuration(long ms) {
    return new InputCheckResult(action, text, reason, ms, verdicts, endedAtMs);
  }

  /** With how long the check took and when it ended (epoch milliseconds, the worker's clock). */
  public InputCheckResult withTiming(long ms, long endedAt) {
    return new InputCheckResult(action, text, reason, ms, verdicts, endedAt);
  }
}
