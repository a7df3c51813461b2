package dev.supportagent.activities.model.gateway;

/**
 * A gateway call's answer and its accounting.
 *
 * @param text the complete answer, the same as the tokens streamed since the last reset
 */
public record GatewayResponse(String text, ModelCall call) {}
