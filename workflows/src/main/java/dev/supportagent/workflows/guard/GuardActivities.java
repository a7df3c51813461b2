package dev.supportagent.workflows.guard;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Checks on what comes in and what goes out. Run as local activities: fast and side-effect free. */
@ActivityInterface
public interface GuardActivities {

  /**
   * Normalises a customer's message and decides whether it may be answered. Idempotent: the same
   * text always gives the same verdict. Raises nothing but unexpected errors (retried).
   */
  @ActivityMethod
  InputCheckResult checkInput(InputCheckRequest request);

  /**
   * Masks e-mail addresses and phone numbers in a reply before it leaves the system. Idempotent.
   */
  @ActivityMethod
  OutputFilterResult filterOutput(OutputFilterRequest request);
}
