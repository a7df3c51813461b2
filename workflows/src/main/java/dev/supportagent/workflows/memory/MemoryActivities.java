package dev.supportagent.workflows.memory;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * A customer's recent conversation summaries (Redis), so a customer who comes back is not asked
 * again what they already told us. Summaries hold no raw personal data: they are built from the
 * checked (redacted) messages.
 */
@ActivityInterface
public interface MemoryActivities {

  /** The customer's latest conversation summaries, newest first (at most a few). */
  @ActivityMethod
  List<String> recentSummaries(String customerId);

  /** Keeps a finished conversation's summary for the customer. Idempotent per conversation. */
  @ActivityMethod
  void remember(String customerId, String conversationId, String summary);
}
