package dev.supportagent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor and the propagator on Temporal's in-memory server: client spans around a start,
 * an update and a signal, and the spans the worker adds under them.
 */
class TracingWorkerInterceptorTest {

  static final String QUEUE = "tracing-test";

  @WorkflowInterface
  public interface TurnWorkflow {
    @WorkflowMethod
    String run();

    @UpdateMethod
    String ask(String question);

    @SignalMethod
    void stop();
  }

  @ActivityInterface
  public interface Steps {
    String check(String question);

    String answer(String question);
  }

  public static class TurnWorkflowImpl implements TurnWorkflow {
    private final Steps local =
        Workflow.newLocalActivityStub(
            Steps.class, LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
    private final Steps remote =
        Workflow.newActivityStub(
            Steps.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
    private boolean stopped;

    @Override
    public String run() {
      Workflow.await(() -> stopped);
      return "done";
    }

    @Override
    public String ask(String question) {
      String checked = local.check(question);
      // one activity from a child workflow thread, one from the handler's own
      Promise<String> draft = Async.function(remote::answer, checked);
      return remote.answer(draft.get());
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }

  static class StepsImpl implements Steps {
    @Override
    public String check(String question) {
      return question;
    }

    @Override
    public String answer(String question) {
      return "re: " + question;
    }
  }

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .build();
  final Tracer tracer = sdk.getTracer("test");
  TestWorkflowEnvironment env;
  TestWorkflowEnvironment replayEnv;

  @AfterEach
  void close() {
    for (TestWorkflowEnvironment e : new TestWorkflowEnvironment[] {env, replayEnv}) {
      if (e != null) {
        e.close();
      }
    }
    sdk.close();
  }

  static TestWorkflowEnvironment tracedEnvironment(OpenTelemetrySdk sdk) {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(TemporalTracing.propagateTraces(WorkflowClientOptions.newBuilder()).build())
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(TemporalTracing.workerInterceptor(sdk)).build())
            .build());
  }

  @Test
  void should_continue_the_callers_trace_in_the_workflow_handlers_and_every_activity() throws Exception {
    env = tracedEnvironment(sdk);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(TurnWorkflowImpl.class);
    worker.registerActivitiesImplementations(new StepsImpl());
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    TurnWorkflow wf =
        client.newWorkflowStub(
            TurnWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId("turn-1").setTaskQueue(QUEUE).build());

    Span start = tracer.spanBuilder("POST /conversations").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = start.makeCurrent()) {
      WorkflowClient.start(wf::run);
    } finally {
      start.end();
    }
    Span ask = tracer.spanBuilder("POST /messages").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = ask.makeCurrent()) {
      assertEquals("re: re: hello", wf.ask("hello"));
    } finally {
      ask.end();
    }
    Span stop = tracer.spanBuilder("DELETE /conversations").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = stop.makeCurrent()) {
      wf.stop();
    } finally {
      stop.end();
    }
    assertEquals("done", client.newUntypedWorkflowStub("turn-1").getResult(String.class));

    SpanData update = one("workflow TurnWorkflow.ask");
    assertEquals(ask.getSpanContext().getSpanId(), update.getParentSpanId(), "the update continues the request");
    assertEquals(ask.getSpanContext().getTraceId(), update.getTraceId());
    assertEquals("turn-1", update.getAttributes().get(TracingWorkerInterceptor.WORKFLOW_ID));
    SpanData check = one("activity Check");
    assertEquals(update.getSpanId(), check.getParentSpanId(), "the local activity is the update's");
    assertEquals(Boolean.TRUE, check.getAttributes().get(TracingWorkerInterceptor.ACTIVITY_LOCAL));
    List<SpanData> answers = named("activity Answer");
    assertEquals(2, answers.size());
    for (SpanData answer : answers) {
      assertEquals(update.getSpanId(), answer.getParentSpanId(), "each activity, from either thread");
      assertEquals(Boolean.FALSE, answer.getAttributes().get(TracingWorkerInterceptor.ACTIVITY_LOCAL));
    }
    assertEquals(start.getSpanContext().getSpanId(), one("workflow TurnWorkflow").getParentSpanId());
    // the in-memory server drops a signal's header (the real one keeps it: see TracingIT), so
    // here the signal's span is only there
    one("workflow TurnWorkflow.stop");

    // replaying the same history adds no span and decides the same
    WorkflowExecutionHistory history = client.fetchHistory("turn-1");
    spans.reset();
    replayEnv = tracedEnvironment(sdk);
    Worker replayer = replayEnv.newWorker(QUEUE);
    replayer.registerWorkflowImplementationTypes(TurnWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(history, replayer);
    assertEquals(List.of(), spans.getFinishedSpanItems());
  }

  @Test
  void should_mark_a_failed_activity_with_its_failure_type_and_no_message() {
    env = tracedEnvironment(sdk);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(TurnWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new StepsImpl() {
          @Override
          public String check(String question) {
            throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                "customer ana@example.com is angry", "GUARD_DOWN");
          }
        });
    env.start();
    TurnWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                TurnWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId("turn-2").setTaskQueue(QUEUE).build());
    WorkflowClient.start(wf::run);

    try {
      wf.ask("hello");
    } catch (RuntimeException expected) {
      // the update fails with the activity
    }

    SpanData check = named("activity Check").get(0);
    assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, check.getStatus().getStatusCode());
    assertEquals("GUARD_DOWN", check.getAttributes().get(TracingWorkerInterceptor.ERROR_TYPE));
    assertTrue(spans.getFinishedSpanItems().stream()
        .noneMatch(s -> s.toString().contains("ana@example.com")), spans.getFinishedSpanItems().toString());
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData one(String name) {
    List<SpanData> found = named(name);
    assertEquals(1, found.size(), name + " in " + spans.getFinishedSpanItems());
    return found.get(0);
  }
}
