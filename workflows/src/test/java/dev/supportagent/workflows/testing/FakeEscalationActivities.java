package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.escalation.EscalationActivities;
import dev.supportagent.workflows.escalation.EscalationView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The agents' queue and notifications, in memory. */
public final class FakeEscalationActivities implements EscalationActivities {

  /** Open escalations by id, as last published. */
  public final Map<String, EscalationView> queue = new ConcurrentHashMap<>();
  /** Every notification, as "event escalationId". */
  public final List<String> notifications = new CopyOnWriteArrayList<>();

  @Override
  public void publish(EscalationView view) {
    queue.put(view.ticket().escalationId(), view);
  }

  @Override
  public void retire(EscalationView view) {
    queue.remove(view.ticket().escalationId());
  }

  @Override
  public void notify(String event, EscalationView view) {
    notifications.add(event + " " + view.ticket().escalationId());
  }
}
