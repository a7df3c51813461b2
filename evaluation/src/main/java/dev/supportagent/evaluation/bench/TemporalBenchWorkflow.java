package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * {@code bench temporal}'s stand-in for a conversation: a long-running workflow that answers
 * Updates one after another, each in the shape of a {@link TemporalScenario}, until it is told to
 * finish.
 */
@WorkflowInterface
public interface TemporalBenchWorkflow {

  /**
   * Serves {@link #turn} until {@link #finish}, then waits for the handlers and for the turn log
   * activities no turn waited for. Returns the number of turns served.
   */
  @WorkflowMethod
  int run(Start start);

  /**
   * Runs the scenario's stages and reports their work as the activities measured it. Fails the
   * Update (not the workflow) when an awaited activity fails.
   */
  @UpdateMethod
  Reply turn(Turn turn);

  /** Rejects a turn without a scenario or work profile, and any turn after {@link #finish}. */
  @UpdateValidatorMethod(updateName = "turn")
  void validateTurn(Turn turn);

  /** No more turns: the run ends once the handlers in progress have. Idempotent. */
  @SignalMethod
  void finish();

  /** @param otherTaskQueue where the scenarios that use another task queue send their activity */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Start(String otherTaskQueue) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Turn(TemporalScenario scenario, WorkProfile work) {}

  /**
   * @param workNanos the awaited stages' work, each measured inside its activity
   * @param scheduleToStartMs the awaited (not local) activities' time from being scheduled by the
   *     server to starting on the worker, summed; 0 without one
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Reply(long workNanos, long scheduleToStartMs) {}

  /** How long each stage of a turn works (sleeps), in milliseconds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record WorkProfile(int inputCheckMs, int retrievalMs, int answerMs, int outputFilterMs) {

    public static final WorkProfile NONE = new WorkProfile(0, 0, 0, 0);

    /** Near what the stages take on the local stack (input check, retrieval, answer, output filter). */
    public static final WorkProfile REALISTIC = new WorkProfile(5, 20, 10, 1);

    public int totalMs() {
      return inputCheckMs + retrievalMs + answerMs + outputFilterMs;
    }
  }
}
