package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputFilterRequest(String conversationId, String turnId, String text) {}
