package dev.supportagent.evaluation.bench;

import java.util.Arrays;
import java.util.Optional;

/**
 * The shapes of an Update that {@code bench temporal} times: what the handler waits for before it
 * answers. The turn shapes use the stage durations of the work profile; the single-activity shapes
 * do no work.
 */
public enum TemporalScenario {
  UPDATE("update", "bare Update: the handler returns at once"),
  UPDATE_LOCAL_ACTIVITY("update-local-activity", "one local activity"),
  UPDATE_ACTIVITY_EAGER(
      "update-activity-eager", "one activity on the workflow's own task queue, eager dispatch allowed"),
  UPDATE_ACTIVITY_NO_EAGER(
      "update-activity-no-eager", "one activity on the workflow's own task queue, eager dispatch disabled"),
  UPDATE_ACTIVITY_OTHER_QUEUE("update-activity-other-queue", "one activity on another task queue"),
  TURN_BEFORE(
      "turn-before",
      "the turn's previous shape: input check and retrieval local, the answer an activity on another"
          + " queue, the output filter local, then a turn log activity on the workflow's queue, not awaited"),
  TURN_LOCAL("turn-local", "all four stages local activities, no turn log activity"),
  TURN_EAGER(
      "turn-eager",
      "input check and retrieval local, the answer an activity on the workflow's own queue (eager),"
          + " the output filter local, no turn log activity");

  private final String label;
  private final String shape;

  TemporalScenario(String label, String shape) {
    this.label = label;
    this.shape = shape;
  }

  /** The name on the command line and in the report. */
  public String label() {
    return label;
  }

  /** What the Update's handler does, in words, for the report. */
  public String shape() {
    return shape;
  }

  /** Whether the handler runs the four stages of a turn (and so does the profile's work). */
  public boolean isTurn() {
    return this == TURN_BEFORE || this == TURN_LOCAL || this == TURN_EAGER;
  }

  /** Whether the handler waits for an activity dispatched through a task queue (not a local one). */
  public boolean awaitsQueuedActivity() {
    return this == UPDATE_ACTIVITY_EAGER || this == UPDATE_ACTIVITY_NO_EAGER || this == UPDATE_ACTIVITY_OTHER_QUEUE
        || this == TURN_BEFORE || this == TURN_EAGER;
  }

  public static Optional<TemporalScenario> named(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
