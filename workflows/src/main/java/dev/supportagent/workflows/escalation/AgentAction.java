package dev.supportagent.workflows.escalation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An agent's claim or reply.
 *
 * @param text the reply; null for a claim
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentAction(String agentId, String text) {}
