package dev.supportagent.api;

import dev.supportagent.workflows.answer.AnswerStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;

/** Reads an answer's token stream ({@link AnswerStreams}) as the answer activity appends to it. */
public interface AnswerStreamReader {

  /** One entry: a {@code type} (token, reset, done), its text, and its position to read after. */
  record Event(String position, String type, String text) {}

  /**
   * The entries after {@code after} (null: from the start), waiting up to {@code wait} for the first
   * when there are none yet (null: not waiting); empty when none came.
   */
  List<Event> read(String conversationId, String messageId, String after, Duration wait);

  /** The Redis stream; positions are stream entry ids. */
  static AnswerStreamReader redis(RedissonClient redis) {
    return (conversationId, messageId, after, wait) -> {
      RStream<String, String> stream =
          redis.getStream(AnswerStreams.redisKey(conversationId, messageId), StringCodec.INSTANCE);
      StreamMessageId from = after == null ? new StreamMessageId(0, 0) : parse(after);
      StreamReadArgs args = StreamReadArgs.greaterThan(from).count(200);
      // Redis reads "block 0" as "forever": a wait of zero does not block at all
      Map<StreamMessageId, Map<String, String>> entries =
          stream.read(wait == null || wait.isZero() ? args : args.timeout(wait));
      List<Event> events = new ArrayList<>();
      if (entries != null) {
        entries.forEach(
            (id, fields) -> events.add(new Event(id.toString(), fields.get("type"), fields.getOrDefault("text", ""))));
      }
      return events;
    };
  }

  private static StreamMessageId parse(String position) {
    int dash = position.indexOf('-');
    return new StreamMessageId(Long.parseLong(position.substring(0, dash)), Long.parseLong(position.substring(dash + 1)));
  }
}
