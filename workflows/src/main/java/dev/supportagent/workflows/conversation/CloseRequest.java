package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Asks a conversation to close; {@code by} names the caller's role, {@code reason} is free text. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloseRequest(String by, String reason) {}
