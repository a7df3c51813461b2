package dev.supportagent.activities.model;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import org.redisson.api.RAtomicDouble;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model spending per conversation and per day (UTC), shared by all workers through Redis, read by
 * the {@link TurnRouter}. A budget check that cannot reach Redis counts nothing as spent: Redis
 * trouble must not stop customers getting answers (the failure is logged).
 */
public interface CostBudget {

  TurnRouter.Spent spent(String conversationId);

  void record(String conversationId, double costUsd);

  /** Redis: {@code support:cost:conversation:<id>} (kept 30 days) and {@code support:cost:day:<date>} (3 days). */
  static CostBudget redis(RedissonClient redis, Clock clock) {
    Logger log = LoggerFactory.getLogger(CostBudget.class);
    return new CostBudget() {
      private RAtomicDouble conversation(String id) {
        return redis.getAtomicDouble("support:cost:conversation:" + id);
      }

      private RAtomicDouble day() {
        return redis.getAtomicDouble("support:cost:day:" + LocalDate.now(clock.withZone(ZoneOffset.UTC)));
      }

      @Override
      public TurnRouter.Spent spent(String conversationId) {
        try {
          return new TurnRouter.Spent(conversation(conversationId).get(), day().get());
        } catch (RuntimeException e) {
          log.warn("cost budget unreadable, routing as if nothing were spent: {}", e.toString());
          return new TurnRouter.Spent(0, 0);
        }
      }

      @Override
      public void record(String conversationId, double costUsd) {
        if (costUsd <= 0) {
          return;
        }
        try {
          RAtomicDouble c = conversation(conversationId);
          c.addAndGet(costUsd);
          c.expire(Duration.ofDays(30));
          RAtomicDouble d = day();
          d.addAndGet(costUsd);
          d.expire(Duration.ofDays(3));
        } catch (RuntimeException e) {
          log.warn("cost of {} USD not recorded: {}", costUsd, e.toString());
        }
      }
    };
  }

  /** In memory, for tests and the command line: one day that never ends. */
  static CostBudget inMemory() {
    Map<String, DoubleAdder> conversations = new ConcurrentHashMap<>();
    DoubleAdder day = new DoubleAdder();
    return new CostBudget() {
      @Override
      public TurnRouter.Spent spent(String conversationId) {
        DoubleAdder c = conversations.get(conversationId);
        return new TurnRouter.Spent(c == null ? 0 : c.sum(), day.sum());
      }

      @Override
      public void record(String conversationId, double costUsd) {
        conversations.computeIfAbsent(conversationId, k -> new DoubleAdder()).add(costUsd);
        day.add(costUsd);
      }
    };
  }
}
