package dev.supportagent.workflows.escalation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The agents' queue (Redis) and notifications. Idempotent: retries are harmless. */
@ActivityInterface
public interface EscalationActivities {

  /** Puts the escalation in the queue, or updates it there (status, priority, agent). */
  @ActivityMethod
  void publish(EscalationView view);

  /** Takes a resolved escalation out of the open queue (it stays readable by id for a while). */
  @ActivityMethod
  void retire(EscalationView view);

  /**
   * Tells whoever listens (a webhook when configured) about an event: {@code created}, {@code
   * first_response_breached}, {@code resolution_breached}, {@code resolved}.
   */
  @ActivityMethod
  void notify(String event, EscalationView view);
}
