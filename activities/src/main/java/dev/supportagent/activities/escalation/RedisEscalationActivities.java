package dev.supportagent.activities.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.escalation.EscalationActivities;
import dev.supportagent.workflows.escalation.EscalationKeys;
import dev.supportagent.workflows.escalation.EscalationStatus;
import dev.supportagent.workflows.escalation.EscalationView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' queue in Redis ({@link EscalationKeys}) and a webhook for notifications. A view is
 * kept a week after resolution, for the console's history.
 */
public final class RedisEscalationActivities implements EscalationActivities {

  private static final Logger log = LoggerFactory.getLogger(RedisEscalationActivities.class);
  static final Duration KEEP_RESOLVED = Duration.ofDays(7);

  private final RedissonClient redis;
  private final ObjectMapper json;
  private final URI webhook;
  private final EscalationMetrics metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** @param webhook where notifications are POSTed as JSON, or null for none */
  public RedisEscalationActivities(RedissonClient redis, ObjectMapper json, URI webhook) {
    this(redis, json, webhook, EscalationMetrics.NONE);
  }

  /**
   * @param metrics counts an escalation when it first enters the queue, and a missed deadline once
   *     its notification is done with (delivered, or dropped on a 4xx), so a retried webhook call
   *     does not count it again
   */
  public RedisEscalationActivities(RedissonClient redis, ObjectMapper json, URI webhook, EscalationMetrics metrics) {
    this.redis = redis;
    this.json = json;
    this.webhook = webhook;
    this.metrics = metrics;
  }

  @Override
  public void publish(EscalationView view) {
    String id = view.ticket().escalationId();
    RBatch batch = redis.createBatch();
    batch.getBucket(EscalationKeys.view(id), StringCodec.INSTANCE).setAsync(write(view));
    if (view.status() == EscalationStatus.RESOLVED) {
      batch.getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE).removeAsync(id);
    } else {
      batch.getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE)
          .addAsync(EscalationKeys.score(view.priority(), view.ticket().createdAtMillis()), id);
    }
    batch.execute();
    if (firstPublication(view)) {
      metrics.escalated(view);
    }
  }

  /**
   * Whether this is the escalation's first publication: the workflow publishes it once open,
   * unclaimed and on time; later publications are claims and breaches.
   */
  static boolean firstPublication(EscalationView view) {
    return view.status() == EscalationStatus.OPEN && view.agentId() == null && view.breaches().isEmpty();
  }

  @Override
  public void retire(EscalationView view) {
    String id = view.ticket().escalationId();
    RBatch batch = redis.createBatch();
    batch.getScoredSortedSet(EscalationKeys.QUEUE, StringCodec.INSTANCE).removeAsync(id);
    batch.getBucket(EscalationKeys.view(id), StringCodec.INSTANCE).setAsync(write(view), KEEP_RESOLVED);
    batch.execute();
  }

  /**
   * POSTs {@code {event, escalationId, conversationId, customerId, reason, priority, status}} to the
   * webhook. A 5xx or an unreachable hook fails the activity (Temporal retries it); a 4xx is logged
   * and dropped, since sending it again cannot help.
   */
  @Override
  public void notify(String event, EscalationView view) {
    log.info("escalation {} {} (priority {}, reason {})",
        view.ticket().escalationId(), event, view.priority(), view.ticket().reason());
    if (webhook == null) {
      countBreach(event);
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event);
    body.put("escalationId", view.ticket().escalationId());
    body.put("conversationId", view.ticket().conversationId());
    body.put("customerId", view.ticket().customerId());
    body.put("reason", view.ticket().reason());
    body.put("priority", view.priority());
    body.put("status", view.status().name());
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(webhook)
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 500) {
        throw new IllegalStateException("webhook answered " + response.statusCode());
      }
      if (response.statusCode() >= 400) {
        log.warn("webhook refused escalation event {}: {}", event, response.statusCode());
      }
      countBreach(event);
    } catch (IOException e) {
      throw new UncheckedIOException("webhook unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while notifying", e);
    }
  }

  private void countBreach(String event) {
    if (event.endsWith(EscalationMetrics.BREACHED)) {
      metrics.breached(event.substring(0, event.length() - EscalationMetrics.BREACHED.length()));
    }
  }

  private String write(EscalationView view) {
    try {
      return json.writeValueAsString(view);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
