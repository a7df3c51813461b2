package dev.supportagent.activities.model;

import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.answer.GeneratedAnswer;

/** Answers with the offline extractive answerer; model providers join in a later version. */
public class AnswerActivitiesImpl implements AnswerActivities {

  private final OfflineAnswerer offline;
  private final StageTimer timer;

  public AnswerActivitiesImpl(OfflineAnswerer offline, StageTimer timer) {
    this.offline = offline;
    this.timer = timer;
  }

  @Override
  public GeneratedAnswer generate(AnswerRequest request) {
    if (request.question() == null || request.question().isBlank()) {
      throw FailureType.INVALID_REQUEST.failure("question must not be empty");
    }
    var timed =
        timer.time(
            "generation",
            () -> offline.answer(request.question(), request.passages(), request.relevant()));
    GeneratedAnswer a = timed.value();
    return new GeneratedAnswer(
        a.text(), a.citations(), a.declined(), a.model(), a.tier(), a.promptVersion(),
        a.tokensIn(), a.tokensOut(), a.costUsd(), timed.durationMs());
  }
}
