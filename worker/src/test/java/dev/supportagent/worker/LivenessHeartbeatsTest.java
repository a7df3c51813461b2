package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessHeartbeatsTest {

  static final String QUEUE = "liveness-test";
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);

  @ActivityInterface
  public interface SlowActivities {
    /** Works for {@code millis} without heartbeating itself. */
    String work(long millis);
  }

  @WorkflowInterface
  public interface SlowWorkflow {
    @WorkflowMethod
    String run(long millis);
  }

  public static class SlowWorkflowImpl implements SlowWorkflow {
    private final SlowActivities activities =
        Workflow.newActivityStub(
            SlowActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

    @Override
    public String run(long millis) {
      return activities.work(millis);
    }
  }

  static class SleepingActivities implements SlowActivities {
    @Override
    public String work(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "done";
    }
  }

  private static String runOnWorker(WorkerFactoryOptions factoryOptions) {
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(factoryOptions)
                .build());
    try {
      Worker worker = env.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(SlowWorkflowImpl.class);
      worker.registerActivitiesImplementations(new SleepingActivities());
      env.start();
      return env.getWorkflowClient()
          .newWorkflowStub(SlowWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
          .run(HEARTBEAT_TIMEOUT.multipliedBy(3).toMillis());
    } finally {
      env.close();
    }
  }

  @Test
  void should_keep_an_activity_alive_past_its_heartbeat_timeout_when_it_never_heartbeats_itself() {
    WorkerFactoryOptions options =
        WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new LivenessHeartbeats()).build();

    assertEquals("done", runOnWorker(options));
  }

  @Test
  void should_time_out_the_same_activity_on_a_worker_without_them() {
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> runOnWorker(WorkerFactoryOptions.getDefaultInstance()));

    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, e.getCause());
    TimeoutFailure timeout = assertInstanceOf(TimeoutFailure.class, activity.getCause());
    assertEquals(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, timeout.getTimeoutType());
  }
}
