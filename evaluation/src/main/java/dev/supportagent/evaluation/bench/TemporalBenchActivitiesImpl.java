package dev.supportagent.evaluation.bench;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;

public final class TemporalBenchActivitiesImpl implements TemporalBenchActivities {

  @Override
  public StageResult stage(Stage stage) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    long waited =
        info.isLocal() ? 0 : Math.max(0, System.currentTimeMillis() - info.getCurrentAttemptScheduledTimestamp());
    long start = System.nanoTime();
    work(stage.workMs());
    return new StageResult(System.nanoTime() - start, waited);
  }

  @Override
  public void record(Stage stage) {
    work(stage.workMs());
  }

  private static void work(int ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }
}
