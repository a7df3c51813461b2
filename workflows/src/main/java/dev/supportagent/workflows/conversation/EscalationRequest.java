package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An explicit request to hand the conversation to a person ({@code POST .../escalate}).
 *
 * @param by who asked: {@code customer_app} or {@code agent}
 * @param note an optional note for the agent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EscalationRequest(String by, String note) {}
