package dev.supportagent.telemetry;

import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;

/**
 * Adds the current trace context to the updates and signals a client sends: Temporal's client
 * propagates contexts only into what it starts, so without this an update handler's span would
 * not join the HTTP request's trace.
 */
public final class TracingClientInterceptor extends WorkflowClientInterceptorBase {

  private final TraceContextPropagator propagator;

  public TracingClientInterceptor(TraceContextPropagator propagator) {
    this.propagator = propagator;
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    return new WorkflowClientCallsInterceptorBase(super.workflowClientCallsInterceptor(next)) {
      @Override
      public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
        propagator.write(input.getHeader());
        return super.startUpdate(input);
      }

      @Override
      public WorkflowSignalOutput signal(WorkflowSignalInput input) {
        propagator.write(input.getHeader());
        return super.signal(input);
      }
    };
  }
}
