package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The customer's rating of a reply.
 *
 * @param turnId the turn rated
 * @param rating {@code up} or {@code down}
 * @param comment optional, at most {@link #MAX_COMMENT_CHARS}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Feedback(String turnId, String rating, String comment) {

  public static final int MAX_COMMENT_CHARS = 1000;
}
