package dev.supportagent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.escalation.EscalationKeys;
import dev.supportagent.workflows.escalation.EscalationView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Reads the agents' queue that the escalation activities keep in Redis ({@link EscalationKeys}). */
public interface EscalationQueue {

  /** The open escalations (OPEN or CLAIMED), most urgent first, at most {@code limit}. */
  List<EscalationView> open(int limit);

  static EscalationQueue redis(RedissonClient redis, ObjectMapper json) {
    return limit -> {
      Collection<String> ids =
          redis.<String>getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE).valueRange(0, limit - 1);
      if (ids.isEmpty()) {
        return List.of();
      }
      RBatch batch = redis.createBatch();
      for (String id : ids) {
        batch.getBucket(EscalationKeys.view(id), StringCodec.INSTANCE).getAsync();
      }
      List<EscalationView> views = new ArrayList<>();
      for (Object raw : batch.execute().getResponses()) {
        if (raw != null) {
          try {
            views.add(json.readValue((String) raw, EscalationView.class));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      return views;
    };
  }

  /** A fixed list, for tests. */
  static EscalationQueue of(Map<String, EscalationView> views) {
    return limit ->
        views.values().stream()
            .sorted(java.util.Comparator.comparingDouble(
                v -> EscalationKeys.score(v.priority(), v.ticket().createdAtMillis())))
            .limit(limit)
            .toList();
  }
}
