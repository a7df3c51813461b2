package dev.supportagent.workflows.turnlog;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The turn log: one record per turn in Elasticsearch, for debugging, tuning and the canary. The
 * conversation schedules these without waiting for them, so a slow or failing log never holds up
 * or fails a turn; both are idempotent (a record is keyed by conversation and turn), so an
 * activity retry stores a turn once.
 */
@ActivityInterface
public interface TurnLogActivities {

  /** Stores a turn (its texts redacted of personal data first), merged with any feedback already stored. */
  @ActivityMethod
  void record(TurnRecord turn);

  /** Adds the customer's rating of a turn's reply to its record (created if the turn is not stored yet). */
  @ActivityMethod
  void recordFeedback(TurnFeedback feedback);

  /** Stores a batch: its turns first, then its ratings, each as {@link #record} and {@link #recordFeedback} do. */
  @ActivityMethod
  void recordAll(TurnLogBatch batch);
}
