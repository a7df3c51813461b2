package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.memory.MemoryActivities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Customer memory in memory: summaries per customer, newest first. */
public final class FakeMemoryActivities implements MemoryActivities {

  public final Map<String, List<String>> summaries = new ConcurrentHashMap<>();

  @Override
  public List<String> recentSummaries(String customerId) {
    return List.copyOf(summaries.getOrDefault(customerId, List.of()));
  }

  @Override
  public void remember(String customerId, String conversationId, String summary) {
    summaries.computeIfAbsent(customerId, c -> new ArrayList<>()).add(0, summary);
  }
}
