package dev.supportagent.workflows.turnlog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A customer's rating of one reply, as the turn log stores it.
 *
 * @param turnAt when the rated turn's message arrived (its record's {@code at}), which places the
 *     rating next to its turn
 * @param at when the rating came (ISO-8601, workflow time)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnFeedback(
    String conversationId, String turnId, String turnAt, String rating, String comment, String at) {}
