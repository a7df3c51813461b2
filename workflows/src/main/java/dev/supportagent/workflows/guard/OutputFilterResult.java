package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param text the reply with sensitive values masked
 * @param maskedTypes the kinds of values masked (for example EMAIL_ADDRESS), one entry per value
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputFilterResult(
    GuardAction action, String text, List<String> maskedTypes, long durationMs) {

  public OutputFilterResult {
    maskedTypes = maskedTypes == null ? List.of() : List.copyOf(maskedTypes);
  }
}
