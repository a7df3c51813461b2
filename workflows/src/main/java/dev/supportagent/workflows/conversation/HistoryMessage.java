package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An earlier message imported as context, {@code role} is {@code user} or {@code agent}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryMessage(String role, String text) {}
