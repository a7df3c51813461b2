package dev.supportagent.activities.guard;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.GuardActivities;
import dev.supportagent.workflows.guard.InputCheckRequest;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.OutputFilterRequest;
import dev.supportagent.workflows.guard.OutputFilterResult;
import dev.supportagent.workflows.guard.ScanVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class GuardActivitiesImpl implements GuardActivities {

  private static final Logger log = LoggerFactory.getLogger(GuardActivitiesImpl.class);

  private final InputGuard inputGuard;
  private final OutputFilter outputFilter;
  private final StageTimer timer;

  public GuardActivitiesImpl(InputGuard inputGuard, OutputFilter outputFilter, StageTimer timer) {
    this.inputGuard = inputGuard;
    this.outputFilter = outputFilter;
    this.timer = timer;
  }

  @Override
  public InputCheckResult checkInput(InputCheckRequest request) {
    var timed = timer.time("input_check", () -> inputGuard.check(request.text()));
    InputCheckResult result = timed.value();
    if (result.action() != GuardAction.ALLOW) {
      // the decision and what fired, never the message: it may hold personal data
      log.info("input guard {} conversation {} {}: {}", result.action(), request.conversationId(),
          request.turnId(), describe(result));
    }
    return result.withTiming(timed.durationMs(), timed.endedAtMs());
  }

  @Override
  public OutputFilterResult filterOutput(OutputFilterRequest request) {
    var timed =
        timer.time(
            "output_filter",
            () -> outputFilter.filter(request.text(), request.customerMessages(), request.passages()));
    return timed.value().withTiming(timed.durationMs(), timed.endedAtMs());
  }

  private static String describe(InputCheckResult result) {
    StringBuilder b = new StringBuilder();
    for (ScanVerdict v : result.verdicts()) {
      if (v.action() != GuardAction.ALLOW) {
        b.append(v.scanner()).append('=').append(v.action()).append(v.reasons()).append(' ');
      }
    }
    return b.toString().strip();
  }
}
