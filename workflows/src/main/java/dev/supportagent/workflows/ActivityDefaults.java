package dev.supportagent.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retry policies of every activity, in one place.
 *
 * <p>Retry budget: Temporal is the only layer that retries an activity. Clients inside activities
 * (Elasticsearch, the embedding model) do not retry on their own; a non-retryable failure type
 * stops Temporal's retries at once.
 */
public final class ActivityDefaults {

  /** How soon an ingestion step of a worker that died is retried elsewhere; see {@link #INGEST}. */
  public static final Duration INGEST_HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

  private static final String[] NON_RETRYABLE = {
    FailureType.INVALID_REQUEST.type(),
    FailureType.KNOWLEDGE_BASE_MISSING.type(),
    FailureType.INVALID_SOURCE.type()
  };

  /** Input checks and output filters: local, fast, deterministic given their input. */
  public static final LocalActivityOptions GUARD =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(3)
                  .setInitialInterval(Duration.ofMillis(100))
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * The agents' queue in Redis and notifications, on the workflow's queue. Retried for as long as
   * it takes (an hour at most): a ticket must reach the queue.
   */
  public static final ActivityOptions ESCALATION =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofHours(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(500))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /** Customer memory in Redis: quick, and optional (a conversation goes on without it). */
  public static final ActivityOptions MEMORY =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setScheduleToCloseTimeout(Duration.ofSeconds(20))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(3)
                  .setInitialInterval(Duration.ofMillis(200))
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * The turn log in Elasticsearch, on the workflow's queue. Scheduled without waiting, so it never
   * holds up a turn; retried for two minutes at most, then the record is given up (and logged).
   */
  public static final ActivityOptions TURN_LOG =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * The customer's memory read as a local activity (since the conversation's version {@code
   * local-memory-read}): the start's first workflow task reads it, so a first message sent right
   * after the start does not wait for an activity's dispatch and completion. Same limits as {@link
   * #MEMORY}.
   */
  public static final LocalActivityOptions MEMORY_LOCAL = local(MEMORY);

  /** Retrieval: embeds the query and searches Elasticsearch. Runs on the workflow's queue. */
  public static final ActivityOptions RETRIEVAL =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(3)
                  .setInitialInterval(Duration.ofMillis(200))
                  .setBackoffCoefficient(2.0)
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * Retrieval as a local activity (since the conversation's version {@code local-retrieval}): the
   * same work without a round trip through the server's task queue, which cost 30 to 40 ms of
   * queueing each way on the local dev server. Same timeouts and retries as {@link #RETRIEVAL}.
   */
  public static final LocalActivityOptions RETRIEVAL_LOCAL = local(RETRIEVAL);

  /**
   * Model calls on the {@code support-llm} queue, as turns ran before the conversation's version
   * {@code turn-in-one-task} (see {@link #ANSWER_LOCAL}). The gateway inside the activity owns
   * retries against providers (2 attempts per chain entry, then the next entry, offline last) and
   * does not fail for a provider's errors, so Temporal's second attempt is only for a lost worker
   * or a timeout: the heartbeat (sent with the streamed tokens, and before the first) notices a
   * dead worker within 30 s.
   */
  public static final ActivityOptions ANSWER =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.LLM)
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setScheduleToCloseTimeout(Duration.ofSeconds(150))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(2)
                  .setInitialInterval(Duration.ofMillis(500))
                  .setBackoffCoefficient(2.0)
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * Model calls as a local activity on the conversation's worker (since the conversation's version
   * {@code turn-in-one-task}): the whole turn then runs in the Update's one workflow task, with no
   * dispatch through a task queue before the first token and no completion leg after the answer.
   * The gateway's own retries and fallbacks are the same; a worker that dies mid-call loses the
   * workflow task, and the turn runs again on another worker from its start (one reply still).
   * Local activities cannot heartbeat: the workflow task's own heartbeat keeps a long call alive.
   */
  public static final LocalActivityOptions ANSWER_LOCAL = local(ANSWER);

  /**
   * Ingestion steps, on the ingestion workflow's own CPU-bound queue ({@code support-ingest}; a
   * test may run a whole ingestion on a queue of its own). A document takes seconds (embedding); a
   * worker restart mid-document is retried, and the document's fixed chunk ids make the retry
   * harmless.
   *
   * <p>The worker heartbeats every running step (its {@code LivenessHeartbeats}), so a step whose
   * worker died is retried on another one after {@link #INGEST_HEARTBEAT_TIMEOUT}, not after the
   * start-to-close timeout, which only bounds a step that hangs on a live worker.
   */
  public static final ActivityOptions INGEST =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(INGEST_HEARTBEAT_TIMEOUT)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(5)
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setDoNotRetry(NON_RETRYABLE)
                  .build())
          .build();

  /**
   * The local activity twin of an activity's options: the same timeouts and retries (a local
   * activity has no task queue and no heartbeat).
   */
  private static LocalActivityOptions local(ActivityOptions options) {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(options.getStartToCloseTimeout())
        .setScheduleToCloseTimeout(options.getScheduleToCloseTimeout())
        .setRetryOptions(options.getRetryOptions())
        .build();
  }

  private ActivityDefaults() {}
}
