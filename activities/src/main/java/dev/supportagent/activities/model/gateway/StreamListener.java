package dev.supportagent.activities.model.gateway;

/**
 * Receives the answer as it is generated. The gateway calls it on the thread that called {@link
 * ModelGateway#generate}, never concurrently and never after {@code generate} returns.
 */
public interface StreamListener {

  /** The next piece of the answer; pieces concatenate to the text generated so far. */
  void token(String text);

  /**
   * Everything received since the call began (or since the last reset) is void: an attempt failed
   * part-way and another attempt, or the next fallback, starts from the beginning. Called before
   * any token of that next attempt, and only when the failed attempt had produced tokens.
   */
  void reset();

  /** A listener that ignores the stream, for callers that only want the final text. */
  StreamListener IGNORE =
      new StreamListener() {
        @Override
        public void token(String text) {}

        @Override
        public void reset() {}
      };
}
