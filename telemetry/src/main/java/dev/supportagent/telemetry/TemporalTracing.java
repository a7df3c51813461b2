package dev.supportagent.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.util.List;

/**
 * One trace per request across Temporal: the API's and the worker's clients carry the trace context
 * in headers, and the worker's interceptor continues it in workflows and activities.
 */
public final class TemporalTracing {

  private static final TraceContextPropagator PROPAGATOR = new TraceContextPropagator();

  private TemporalTracing() {}

  /**
   * Sets {@code options}' context propagators and client interceptors to the trace context's
   * (replacing any set before): what the client starts, updates and signals carries the current
   * trace, and a worker built on the client passes it to the activities its workflows schedule.
   */
  public static WorkflowClientOptions.Builder propagateTraces(WorkflowClientOptions.Builder options) {
    return options
        .setContextPropagators(List.of(PROPAGATOR))
        .setInterceptors(new TracingClientInterceptor(PROPAGATOR));
  }

  /** The worker interceptor that traces workflow handlers and activities on {@code telemetry}. */
  public static WorkerInterceptor workerInterceptor(OpenTelemetry telemetry) {
    return new TracingWorkerInterceptor(telemetry.getTracer(Telemetry.INSTRUMENTATION), PROPAGATOR);
  }
}
