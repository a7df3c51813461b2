package dev.supportagent.activities.model;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.model.gateway.StreamListener;
import dev.supportagent.workflows.answer.AnswerStreams;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/**
 * Passes a streamed answer on to the customer sentence by sentence: tokens are held back until a
 * sentence ends, so the output filter sees whole e-mail addresses and phone numbers and masks them
 * before anything leaves; then the sentence is appended to the answer's stream ({@link
 * AnswerStreams}). A reset from the gateway voids what is held and is passed on. Every append also
 * heartbeats the activity.
 */
public final class AnswerStreamWriter implements StreamListener {

  /** Where the events go. */
  public interface Sink {
    void append(String type, String text);

    /** Whether an earlier run of this answer already wrote to the stream. */
    default boolean hasEntries() {
      return false;
    }

    Sink NONE = (type, text) -> {};

    /** The Redis stream of one customer message, kept {@link AnswerStreams#TTL}. */
    static Sink redis(RedissonClient redis, String conversationId, String messageId) {
      RStream<String, String> stream =
          redis.getStream(AnswerStreams.redisKey(conversationId, messageId), StringCodec.INSTANCE);
      return new Sink() {
        private boolean expirySet;

        @Override
        public void append(String type, String text) {
          stream.add(StreamAddArgs.entries(Map.of("type", type, "text", text == null ? "" : text)));
          if (!expirySet) {
            stream.expire(AnswerStreams.TTL);
            expirySet = true;
          }
        }

        @Override
        public boolean hasEntries() {
          return stream.size() > 0;
        }
      };
    }
  }

  /** The end of a sentence: punctuation and white space, or a line break. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?:]\\s+|\\n");
  /** Text held without a sentence end is let out at a word boundary past this length. */
  static final int MAX_HELD_CHARS = 400;

  private final Sink sink;
  /** Masks personal data in a sentence before it leaves (the same rule as the final reply's). */
  private final UnaryOperator<String> mask;
  private final Runnable heartbeat;
  private long firstTokenAt;
  private final UnaryOperator<String> restore;
  private final StringBuilder held = new StringBuilder();

  public AnswerStreamWriter(Sink sink, OutputFilter filter, Runnable heartbeat) {
    this(sink, text -> filter.filter(text).text(), heartbeat, UnaryOperator.identity());
  }

  /**
   * @param restore puts the customer's values back in place of the placeholders the model saw,
   *     before the filter; a placeholder never spans two emitted pieces, since pieces end at a
   *     sentence end or a space
   */
  public AnswerStreamWriter(
      Sink sink, UnaryOperator<String> mask, Runnable heartbeat, UnaryOperator<String> restore) {
    this.sink = sink;
    this.mask = mask;
    this.heartbeat = heartbeat;
    this.restore = restore;
  }

  @Override
  public void token(String text) {
    held.append(text);
    int end = lastSentenceEnd();
    if (end < 0 && held.length() > MAX_HELD_CHARS) {
      end = held.lastIndexOf(" ") + 1;
    }
    if (end > 0) {
      emit(held.substring(0, end));
      held.delete(0, end);
    }
  }

  @Override
  public void reset() {
    held.setLength(0);
    sink.append(AnswerStreams.RESET, "");
    heartbeat.run();
  }

  /** Lets out what is held and marks the end of the stream. */
  public void finish() {
    if (held.length() > 0) {
      emit(held.toString());
      held.setLength(0);
    }
    sink.append(AnswerStreams.DONE, "");
  }

  /** Marks, before a retried attempt writes anything, that an earlier attempt's stream is void. */
  public void voidEarlierAttempt() {
    sink.append(AnswerStreams.RESET, "");
  }

  private int lastSentenceEnd() {
    Matcher m = SENTENCE_END.matcher(held);
    int end = -1;
    while (m.find()) {
      end = m.end();
    }
    return end;
  }

  private void emit(String text) {
    sink.append(AnswerStreams.TOKEN, mask.apply(restore.apply(text)));
    if (firstTokenAt == 0) {
      firstTokenAt = System.currentTimeMillis();
    }
    heartbeat.run();
  }

  /** When the first token went to the stream (epoch milliseconds); 0 before. */
  public long firstTokenAt() {
    return firstTokenAt;
  }
}
