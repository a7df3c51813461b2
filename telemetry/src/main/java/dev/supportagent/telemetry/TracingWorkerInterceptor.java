package dev.supportagent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.function.Supplier;

/**
 * Traces what a worker runs, each span a child of the trace context that came in the Temporal
 * header ({@link TraceContextPropagator}):
 *
 * <ul>
 *   <li>{@code workflow <Type>} for a workflow run, {@code workflow <Type>.<update>} for an update
 *       handler and {@code workflow <Type>.<signal>} for a signal handler, current on the workflow
 *       thread while the handler runs, so the activities it schedules carry it on;
 *   <li>{@code activity <Type>} around each activity and local activity.
 * </ul>
 *
 * <p>Workflow spans are side effects only: they are started when the code runs for the first time,
 * never on replay (then the incoming parent alone is made current, so activities scheduled after
 * the replay still join the trace), and nothing in them reaches the workflow's state or commands.
 * Every scope is closed in a {@code finally}, as workflow and activity threads are pooled.
 * Attributes name types, ids, queues and attempts, never arguments or results.
 */
public final class TracingWorkerInterceptor extends WorkerInterceptorBase {

  static final AttributeKey<String> WORKFLOW_TYPE = AttributeKey.stringKey("temporal.workflow.type");
  static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("temporal.workflow.id");
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("temporal.run.id");
  static final AttributeKey<String> UPDATE_NAME = AttributeKey.stringKey("temporal.update.name");
  static final AttributeKey<String> SIGNAL_NAME = AttributeKey.stringKey("temporal.signal.name");
  static final AttributeKey<String> ACTIVITY_TYPE = AttributeKey.stringKey("temporal.activity.type");
  static final AttributeKey<Boolean> ACTIVITY_LOCAL = AttributeKey.booleanKey("temporal.activity.local");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("temporal.attempt");
  static final AttributeKey<String> TASK_QUEUE = AttributeKey.stringKey("temporal.task_queue");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;
  private final TraceContextPropagator propagator;

  public TracingWorkerInterceptor(Tracer tracer, TraceContextPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new TracingOutbound(outboundCalls));
      }

      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        return inWorkflowSpan(input.getHeader(), null, null, () -> super.execute(input));
      }

      @Override
      public void handleSignal(SignalInput input) {
        inWorkflowSpan(
            input.getHeader(),
            input.getSignalName(),
            SIGNAL_NAME,
            () -> {
              super.handleSignal(input);
              return null;
            });
      }

      @Override
      public UpdateOutput executeUpdate(UpdateInput input) {
        return inWorkflowSpan(input.getHeader(), input.getUpdateName(), UPDATE_NAME, () -> super.executeUpdate(input));
      }
    };
  }

  /** Runs a workflow handler in a span (or, on replay, in its incoming parent context). */
  private <T> T inWorkflowSpan(Header header, String handler, AttributeKey<String> handlerKey, Supplier<T> work) {
    Context parent = propagator.extract(header);
    if (Workflow.isReplaying()) {
      try (Scope ignored = parent.makeCurrent()) {
        return work.get();
      }
    }
    WorkflowInfo info = Workflow.getInfo();
    var builder =
        tracer
            .spanBuilder("workflow " + info.getWorkflowType() + (handler == null ? "" : "." + handler))
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(WORKFLOW_TYPE, info.getWorkflowType())
            .setAttribute(WORKFLOW_ID, info.getWorkflowId())
            .setAttribute(RUN_ID, info.getRunId())
            .setAttribute(TASK_QUEUE, info.getTaskQueue());
    if (handler != null) {
      builder.setAttribute(handlerKey, handler);
    }
    return inSpan(builder.startSpan(), work);
  }

  private static <T> T inSpan(Span span, Supplier<T> work) {
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } catch (RuntimeException e) {
      // the failure's type, never its message: messages may quote the customer
      span.setStatus(StatusCode.ERROR);
      span.setAttribute(
          ERROR_TYPE, e instanceof ApplicationFailure f ? f.getType() : e.getClass().getSimpleName());
      throw e;
    } finally {
      // also reached when Temporal destroys an evicted workflow's thread (an Error, not a failure)
      span.end();
    }
  }

  /** Child workflow threads ({@code Async}, cancellation scopes) run in their creator's context. */
  private static final class TracingOutbound extends WorkflowOutboundCallsInterceptorBase {
    TracingOutbound(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public Object newChildThread(Runnable runnable, boolean detached, String name) {
      return super.newChildThread(Context.current().wrap(runnable), detached, name);
    }
  }

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
        ActivityInfo info = context.getInfo();
        Span span =
            tracer
                .spanBuilder("activity " + info.getActivityType())
                .setParent(propagator.extract(input.getHeader()))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(ACTIVITY_TYPE, info.getActivityType())
                .setAttribute(ACTIVITY_LOCAL, info.isLocal())
                .setAttribute(ATTEMPT, (long) info.getAttempt())
                .setAttribute(TASK_QUEUE, info.getActivityTaskQueue())
                .setAttribute(WORKFLOW_TYPE, info.getWorkflowType())
                .setAttribute(WORKFLOW_ID, info.getWorkflowId())
                .startSpan();
        return inSpan(span, () -> super.execute(input));
      }
    };
  }
}
