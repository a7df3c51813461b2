package dev.supportagent.workflows.escalation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Service-level deadlines, from the hand-over: the first human reply, and the resolution.
 *
 * @param businessHours {@code HH-HH} in UTC when agents work (for example {@code 08-18}), or null
 *     for around the clock; outside them the customer is told when to expect an answer
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EscalationSla(long firstResponseSeconds, long resolutionSeconds, String businessHours) {

  public static final EscalationSla DEFAULT = new EscalationSla(15 * 60, 4 * 3600, null);
}
