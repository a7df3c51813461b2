package dev.supportagent.worker;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats every running activity that has a heartbeat timeout, from a timer of the worker, so
 * that Temporal notices within that timeout when the worker process dies and retries the activity
 * on another worker, instead of waiting for its start-to-close timeout. A heartbeat says that the
 * worker is alive, not that the activity makes progress: a hung activity still ends at its
 * start-to-close timeout.
 */
final class LivenessHeartbeats extends WorkerInterceptorBase {

  /** Heartbeats asked for per heartbeat timeout; the SDK sends one per 0.8 of it at most. */
  static final int BEATS_PER_TIMEOUT = 4;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "activity-liveness-heartbeats");
            t.setDaemon(true);
            return t;
          });

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        Duration timeout = context.getInfo().getHeartbeatTimeout();
        if (timeout == null || timeout.isZero()) {
          return super.execute(input);
        }
        long period = Math.max(100, timeout.toMillis() / BEATS_PER_TIMEOUT);
        // a heartbeat that throws (the activity was cancelled, timed out or is gone: its result
        // will be rejected) ends the periodic task, as there is nothing left to keep alive
        ScheduledFuture<?> beats =
            timer.scheduleAtFixedRate(() -> context.heartbeat(null), 0, period, TimeUnit.MILLISECONDS);
        try {
          return super.execute(input);
        } finally {
          beats.cancel(false);
        }
      }
    };
  }
}
