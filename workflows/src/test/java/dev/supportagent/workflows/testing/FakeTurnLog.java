package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnLogActivities;
import dev.supportagent.workflows.turnlog.TurnLogBatch;
import dev.supportagent.workflows.turnlog.TurnRecord;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The turn log in memory. It can fail every write ({@link #failing}) or hold every write until
 * {@link #release()} ({@link #hold()}), to show that turns neither wait for it nor fail with it.
 */
public final class FakeTurnLog implements TurnLogActivities {

  public final List<TurnRecord> records = new CopyOnWriteArrayList<>();
  public final List<TurnFeedback> feedback = new CopyOnWriteArrayList<>();
  /** Batches written ({@link #recordAll}). */
  public final java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
  public volatile boolean failing;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    gate.countDown();
  }

  @Override
  public void record(TurnRecord turn) {
    pass();
    records.add(turn);
  }

  @Override
  public void recordFeedback(TurnFeedback rating) {
    pass();
    feedback.add(rating);
  }

  @Override
  public void recordAll(TurnLogBatch batch) {
    batches.incrementAndGet();
    batch.turns().forEach(this::record);
    batch.ratings().forEach(this::recordFeedback);
  }

  private void pass() {
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("turn log held for too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failing) {
      throw ApplicationFailure.newNonRetryableFailure("turn log is down", "TurnLogDown");
    }
  }
}
