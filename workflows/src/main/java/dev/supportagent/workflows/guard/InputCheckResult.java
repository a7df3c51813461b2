package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param text the normalised message to use downstream (control characters removed)
 * @param reason machine-readable reason when the action is not ALLOW, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InputCheckResult(GuardAction action, String text, String reason, long durationMs) {}
