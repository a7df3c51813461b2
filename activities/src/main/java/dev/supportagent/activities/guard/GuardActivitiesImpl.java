package dev.supportagent.activities.guard;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.guard.GuardActivities;
import dev.supportagent.workflows.guard.InputCheckRequest;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.OutputFilterRequest;
import dev.supportagent.workflows.guard.OutputFilterResult;

public class GuardActivitiesImpl implements GuardActivities {

  private final InputChecker inputChecker;
  private final OutputFilter outputFilter;
  private final StageTimer timer;

  public GuardActivitiesImpl(InputChecker inputChecker, OutputFilter outputFilter, StageTimer timer) {
    this.inputChecker = inputChecker;
    this.outputFilter = outputFilter;
    this.timer = timer;
  }

  @Override
  public InputCheckResult checkInput(InputCheckRequest request) {
    var timed = timer.time("input_check", () -> inputChecker.check(request.text()));
    return timed.value().withDuration(timed.durationMs());
  }

  @Override
  public OutputFilterResult filterOutput(OutputFilterRequest request) {
    var timed =
        timer.time(
            "output_filter",
            () -> outputFilter.filter(request.text(), request.customerMessages(), request.passages()));
    return timed.value().withDuration(timed.durationMs());
  }
}
