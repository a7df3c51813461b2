package dev.supportagent.workflows.escalation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param resolution what was done, for the record
 * @param handBack the bot takes the conversation back (else the conversation closes)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Resolution(String agentId, String resolution, boolean handBack) {}
