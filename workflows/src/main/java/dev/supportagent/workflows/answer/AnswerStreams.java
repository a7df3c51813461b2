package dev.supportagent.workflows.answer;

import java.time.Duration;

/**
 * Where an answer's tokens are streamed while it is generated: a Redis stream per customer
 * message, appended by the answer activity and read by the API, which relays it as server-sent
 * events. Entries have a {@code type} ({@link #TOKEN}, {@link #RESET}, {@link #DONE}) and, for
 * tokens, a {@code text}.
 */
public final class AnswerStreams {

  public static final String TOKEN = "token";
  /** What was streamed so far is void: a retried or fallen-back attempt starts again. */
  public static final String RESET = "reset";
  public static final String DONE = "done";
  /** Long enough for a slow client to read to the end, short enough to hold little. */
  public static final Duration TTL = Duration.ofMinutes(10);

  private AnswerStreams() {}

  public static String redisKey(String conversationId, String messageId) {
    return "support:answer-stream:" + conversationId + ":" + messageId;
  }
}
