package dev.supportagent.evaluation.bench;

import dev.supportagent.evaluation.bench.TemporalBenchActivities.Stage;
import dev.supportagent.evaluation.bench.TemporalBenchActivities.StageResult;
import dev.supportagent.workflows.ActivityDefaults;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The turn shapes use the conversation's own activity options ({@link ActivityDefaults}), moved to
 * the bench's task queues; the single-activity shapes use plain options without retries, so a
 * failure shows instead of being timed.
 */
public class TemporalBenchWorkflowImpl implements TemporalBenchWorkflow {

  static final String INVALID_TURN = "InvalidBenchTurn";

  private static final RetryOptions NO_RETRIES = RetryOptions.newBuilder().setMaximumAttempts(1).build();
  private static final ActivityOptions SINGLE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(NO_RETRIES)
          .build();
  private static final LocalActivityOptions SINGLE_LOCAL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(NO_RETRIES)
          .build();
  /** The answer as a local activity, with the answer activity's timeouts and retries. */
  private static final LocalActivityOptions ANSWER_LOCAL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(ActivityDefaults.ANSWER.getStartToCloseTimeout())
          .setScheduleToCloseTimeout(ActivityDefaults.ANSWER.getScheduleToCloseTimeout())
          .setRetryOptions(ActivityDefaults.ANSWER.getRetryOptions())
          .build();

  private final TemporalBenchActivities local =
      Workflow.newLocalActivityStub(TemporalBenchActivities.class, SINGLE_LOCAL);
  private final TemporalBenchActivities ownQueue =
      Workflow.newActivityStub(TemporalBenchActivities.class, SINGLE);
  private final TemporalBenchActivities ownQueueNoEager =
      Workflow.newActivityStub(
          TemporalBenchActivities.class,
          ActivityOptions.newBuilder(SINGLE).setDisableEagerExecution(true).build());
  private final TemporalBenchActivities otherQueue;

  private final TemporalBenchActivities guard =
      Workflow.newLocalActivityStub(TemporalBenchActivities.class, ActivityDefaults.GUARD);
  private final TemporalBenchActivities retrieval =
      Workflow.newLocalActivityStub(TemporalBenchActivities.class, ActivityDefaults.RETRIEVAL_LOCAL);
  private final TemporalBenchActivities answerOtherQueue;
  private final TemporalBenchActivities answerOwnQueue;
  private final TemporalBenchActivities answerLocal =
      Workflow.newLocalActivityStub(TemporalBenchActivities.class, ANSWER_LOCAL);
  private final TemporalBenchActivities turnLog =
      Workflow.newActivityStub(TemporalBenchActivities.class, ActivityDefaults.TURN_LOG);

  /** Turn log writes scheduled by turns that did not wait for them. */
  private final List<Promise<Void>> unawaited = new ArrayList<>();
  private boolean finishing;
  private int turns;

  @WorkflowInit
  public TemporalBenchWorkflowImpl(Start start) {
    String own = Workflow.getInfo().getTaskQueue();
    otherQueue =
        Workflow.newActivityStub(
            TemporalBenchActivities.class,
            ActivityOptions.newBuilder(SINGLE).setTaskQueue(start.otherTaskQueue()).build());
    answerOtherQueue =
        Workflow.newActivityStub(
            TemporalBenchActivities.class,
            ActivityOptions.newBuilder(ActivityDefaults.ANSWER).setTaskQueue(start.otherTaskQueue()).build());
    answerOwnQueue =
        Workflow.newActivityStub(
            TemporalBenchActivities.class,
            ActivityOptions.newBuilder(ActivityDefaults.ANSWER).setTaskQueue(own).build());
  }

  @Override
  public int run(Start start) {
    Workflow.await(() -> finishing);
    Workflow.await(Workflow::isEveryHandlerFinished);
    if (!unawaited.isEmpty()) {
      Promise.allOf(unawaited).get();
    }
    return turns;
  }

  @Override
  public void validateTurn(Turn turn) {
    if (finishing) {
      throw ApplicationFailure.newNonRetryableFailure("the bench workflow is finishing", INVALID_TURN);
    }
    if (turn == null || turn.scenario() == null || turn.work() == null) {
      throw ApplicationFailure.newNonRetryableFailure("a turn needs a scenario and a work profile", INVALID_TURN);
    }
  }

  @Override
  public Reply turn(Turn turn) {
    turns++;
    WorkProfile work = turn.work();
    Stage none = new Stage("work", 0);
    List<StageResult> stages =
        switch (turn.scenario()) {
          case UPDATE -> List.of();
          case UPDATE_LOCAL_ACTIVITY -> List.of(local.stage(none));
          case UPDATE_ACTIVITY_EAGER -> List.of(ownQueue.stage(none));
          case UPDATE_ACTIVITY_NO_EAGER -> List.of(ownQueueNoEager.stage(none));
          case UPDATE_ACTIVITY_OTHER_QUEUE -> List.of(otherQueue.stage(none));
          case TURN_BEFORE -> {
            List<StageResult> done = turnStages(work, answerOtherQueue);
            unawaited.add(Async.procedure(turnLog::record, new Stage("turn_log", 0)));
            yield done;
          }
          case TURN_LOCAL -> turnStages(work, answerLocal);
          case TURN_EAGER -> turnStages(work, answerOwnQueue);
        };
    long workNanos = 0;
    long waited = 0;
    for (StageResult s : stages) {
      workNanos += s.workNanos();
      waited += s.scheduleToStartMs();
    }
    return new Reply(workNanos, waited);
  }

  @Override
  public void finish() {
    finishing = true;
  }

  /** Input check, retrieval, answer, output filter, one after another, as a conversation's turn. */
  private List<StageResult> turnStages(WorkProfile work, TemporalBenchActivities answerer) {
    return List.of(
        guard.stage(new Stage("input_check", work.inputCheckMs())),
        retrieval.stage(new Stage("retrieval", work.retrievalMs())),
        answerer.stage(new Stage("answer", work.answerMs())),
        guard.stage(new Stage("output_filter", work.outputFilterMs())));
  }
}
