package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param text the reply with sensitive values masked
 * @param maskedTypes the kinds of values masked (for example EMAIL_ADDRESS), one entry per value
 * @param verdicts each output scanner's verdict, in chain order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputFilterResult(
    GuardAction action, String text, List<String> maskedTypes, long durationMs, List<ScanVerdict> verdicts,
    long endedAtMs) {

  public OutputFilterResult {
    maskedTypes = maskedTypes == null ? List.of() : List.copyOf(maskedTypes);
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  public OutputFilterResult(GuardAction action, String text, List<String> maskedTypes, long durationMs) {
    this(action, text, maskedTypes, durationMs, List.of());
  }

  public OutputFilterResult(
      GuardAction action, String text, List<String> maskedTypes, long durationMs, List<ScanVerdict> verdicts) {
    this(action, text, maskedTypes, durationMs, verdicts, 0);
  }

  public OutputFilterResult withDuration(long ms) {
    return new OutputFilterResult(action, text, maskedTypes, ms, verdicts, endedAtMs);
  }

  /** With how long the filter took and when it ended (epoch milliseconds, the worker's clock). */
  public OutputFilterResult withTiming(long ms, long endedAt) {
    return new OutputFilterResult(action, text, maskedTypes, ms, verdicts, endedAt);
  }
}
