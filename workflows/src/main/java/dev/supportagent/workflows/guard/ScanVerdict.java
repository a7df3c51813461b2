package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One scanner's decision about a message, a retrieved passage or a reply. It names what fired and
 * why, never the sensitive text itself (reasons say "CREDIT_CARD", not the number), so it can be
 * kept in workflow history, the turn log and metrics.
 *
 * @param scanner the scanner's name, for example {@code prompt_injection} or {@code pii}
 * @param action what the scanner asks for
 * @param score how sure it is, 0 to 1 (1 for rules that matched)
 * @param reasons machine-readable reasons, for example {@code ["rule:ignore_previous"]}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScanVerdict(String scanner, GuardAction action, double score, List<String> reasons) {

  public ScanVerdict {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  public static ScanVerdict allow(String scanner) {
    return new ScanVerdict(scanner, GuardAction.ALLOW, 0, List.of());
  }
}
