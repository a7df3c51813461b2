package dev.supportagent.api;

import dev.supportagent.workflows.conversation.AgentReply;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a turn's time went, on one clock (epoch milliseconds; the API, the worker and the
 * workflow's local activities share the host's): the API's own steps around the workflow's ({@link
 * AgentReply#timeline()}). Returned with the reply and added to the request's span as events.
 */
final class TurnTimeline {

  private final Map<String, Long> apiSteps = new LinkedHashMap<>();

  /** A turn's timeline from the request's receipt ({@code receivedAt}, null: now) to its handler. */
  TurnTimeline(Long receivedAt) {
    mark("api_received", receivedAt == null ? System.currentTimeMillis() : receivedAt);
    mark("api_authorised");
  }

  void mark(String step) {
    mark(step, System.currentTimeMillis());
  }

  void mark(String step, long at) {
    apiSteps.putIfAbsent(step, at);
  }

  /** The API's steps and the workflow's, in time order, with {@code api_replied} now. */
  Map<String, Long> complete(AgentReply reply) {
    mark("api_replied");
    // on equal times: the API's receipt, the workflow's steps, then the API's later steps
    Map<String, Long> all = new LinkedHashMap<>();
    all.put("api_received", apiSteps.get("api_received"));
    all.putAll(reply.timeline());
    apiSteps.forEach(all::putIfAbsent);
    Map<String, Long> ordered = new LinkedHashMap<>();
    all.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    Span span = Span.current();
    ordered.forEach((step, at) -> span.addEvent("turn." + step, Instant.ofEpochMilli(at)));
    return ordered;
  }
}
