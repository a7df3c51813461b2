package dev.supportagent.activities.escalation;

import dev.supportagent.workflows.memory.MemoryActivities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.RMap;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Customers' recent conversation summaries: per customer, a sorted set of conversation ids by time
 * and a hash of their summaries, both kept {@link #KEEP}, trimmed to the {@link #KEPT} newest.
 */
public final class RedisCustomerMemory implements MemoryActivities {

  static final int KEPT = 5;
  static final Duration KEEP = Duration.ofDays(90);

  private final RedissonClient redis;

  public RedisCustomerMemory(RedissonClient redis) {
    this.redis = redis;
  }

  private RScoredSortedSet<String> order(String customerId) {
    return redis.getScoredSortedSet("support:customer:" + customerId + ":conversations", StringCodec.INSTANCE);
  }

  private RMap<String, String> summaries(String customerId) {
    return redis.getMap("support:customer:" + customerId + ":summaries", StringCodec.INSTANCE);
  }

  @Override
  public List<String> recentSummaries(String customerId) {
    List<String> ids = new ArrayList<>(order(customerId).valueRangeReversed(0, KEPT - 1));
    Map<String, String> all = summaries(customerId).getAll(new java.util.HashSet<>(ids));
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      if (all.get(id) != null) {
        out.add(all.get(id));
      }
    }
    return out;
  }

  @Override
  public void remember(String customerId, String conversationId, String summary) {
    RScoredSortedSet<String> order = order(customerId);
    RMap<String, String> summaries = summaries(customerId);
    order.add(System.currentTimeMillis(), conversationId);
    summaries.fastPut(conversationId, summary);
    int extra = order.size() - KEPT;
    if (extra > 0) {
      for (String old : order.valueRange(0, extra - 1)) {
        order.remove(old);
        summaries.fastRemove(old);
      }
    }
    order.expire(KEEP);
    summaries.expire(KEEP);
  }
}
