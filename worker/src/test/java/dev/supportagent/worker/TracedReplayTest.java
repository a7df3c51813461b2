package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.supportagent.telemetry.TemporalTracing;
import dev.supportagent.workflows.conversation.ConversationWorkflowImpl;
import dev.supportagent.workflows.escalation.EscalationWorkflowImpl;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflowImpl;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed workflow histories replay on a worker built like the worker process's (tracing
 * interceptor and propagator included), and the replay records no span: tracing changes no decision.
 */
class TracedReplayTest {

  static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");

  @Test
  void should_replay_every_committed_history_with_tracing_on_and_record_no_span() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    List<Path> files;
    try (Stream<Path> list = Files.list(HISTORIES)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no committed histories under " + HISTORIES);
    try (OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder()
                    .setWorkflowClientOptions(
                        TemporalTracing.propagateTraces(WorkflowClientOptions.newBuilder()).build())
                    .setWorkerFactoryOptions(SupportWorkers.factoryOptions(sdk))
                    .build())) {
      Worker worker = env.newWorker("replay");
      worker.registerWorkflowImplementationTypes(
          ConversationWorkflowImpl.class, EscalationWorkflowImpl.class, KnowledgeIngestionWorkflowImpl.class);
      for (Path file : files) {
        WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(file)), worker);
      }
    }
    assertEquals(List.of(), spans.getFinishedSpanItems());
  }
}
