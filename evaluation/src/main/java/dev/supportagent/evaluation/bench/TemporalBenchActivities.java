package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.temporal.activity.ActivityInterface;

/** The stages of {@link TemporalBenchWorkflow}'s turns: time spent, nothing done. */
@ActivityInterface
public interface TemporalBenchActivities {

  /**
   * Works (sleeps) for {@code stage.workMs()} and reports how long that took and, when not run
   * as a local activity, how long the activity waited between being scheduled and starting.
   * Idempotent; raises no failure of its own.
   */
  StageResult stage(Stage stage);

  /** The same work as {@link #stage}, for a turn log write that nobody waits for. Idempotent. */
  void record(Stage stage);

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Stage(String name, int workMs) {}

  /**
   * @param workNanos the work, measured inside the activity
   * @param scheduleToStartMs from the server's schedule time to the start on the worker (one
   *     machine's clock for both on the local stack); 0 for a local activity
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record StageResult(long workNanos, long scheduleToStartMs) {}
}
