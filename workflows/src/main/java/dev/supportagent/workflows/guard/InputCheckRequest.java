package dev.supportagent.workflows.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record InputCheckRequest(String conversationId, String turnId, String text) {}
