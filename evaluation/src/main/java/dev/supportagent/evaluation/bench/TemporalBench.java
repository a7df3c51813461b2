package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.bench.TemporalBenchWorkflow.Reply;
import dev.supportagent.evaluation.bench.TemporalBenchWorkflow.Start;
import dev.supportagent.evaluation.bench.TemporalBenchWorkflow.Turn;
import dev.supportagent.evaluation.bench.TemporalBenchWorkflow.WorkProfile;
import dev.supportagent.evaluation.metrics.Stats;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench temporal}: Temporal's own share of a turn. Starts workers in this process on two
 * fresh task queues of the running server, and times Updates sent one after another to
 * long-running workflows ({@link TemporalBenchWorkflow}), one shape of handler per {@link
 * TemporalScenario}: bare, one local activity, one activity on the same queue with and without
 * eager dispatch, one on another queue, and the turn's shapes with their stages' work.
 *
 * <p>Each workflow serves an opening Update, timed apart ({@code first_update_ms}: it can meet the
 * workflow's first task still in flight), then {@code --updates-per-workflow} timed ones, and is
 * then told to finish. The scenarios take turns a workflow at a time, so all of them meet the same
 * load on a shared machine. Every workflow the bench started is ended, also on failure or Ctrl-C.
 */
public final class TemporalBench {

  static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  static final String DEFAULT_NAMESPACE = "default";
  /** A workflow left behind by a killed bench ends by itself after this. */
  static final Duration WORKFLOW_TIMEOUT = Duration.ofHours(1);

  /** What to run, from the command line. */
  record Settings(
      List<TemporalScenario> scenarios, String workName, WorkProfile work, int updates, int warmup,
      int updatesPerWorkflow) {

    static Settings parse(String[] args) {
      Options options =
          Options.parse(args, Set.of("--scenario", "--work", "--updates", "--warmup", "--updates-per-workflow"));
      Set<TemporalScenario> scenarios = new LinkedHashSet<>();
      for (String name : options.all("--scenario")) {
        scenarios.add(
            TemporalScenario.named(name)
                .orElseThrow(() -> new UsageException("unknown scenario '" + name + "' (known: " + known() + ")")));
      }
      if (scenarios.isEmpty()) {
        scenarios.addAll(List.of(TemporalScenario.values()));
      }
      String workName = options.string("--work", "realistic");
      WorkProfile work =
          switch (workName) {
            case "realistic" -> WorkProfile.REALISTIC;
            case "none" -> WorkProfile.NONE;
            default -> throw new UsageException("--work takes none or realistic, got '" + workName + "'");
          };
      return new Settings(
          List.copyOf(scenarios),
          workName,
          work,
          options.integer("--updates", 200, 1),
          options.integer("--warmup", 20, 0),
          options.integer("--updates-per-workflow", 20, 1));
    }

    private static String known() {
      return String.join(", ", Arrays.stream(TemporalScenario.values()).map(TemporalScenario::label).toList());
    }
  }

  private final Settings settings;
  private final String address;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  /** Closes what {@link #fromArgs} opened; nothing for a caller's client and factory. */
  private final Runnable release;
  /** Workflows started and not known to have ended. */
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  private TemporalBench(
      Settings settings, String address, WorkflowClient client, WorkerFactory factory, Runnable release) {
    this.settings = settings;
    this.address = address;
    this.client = client;
    this.factory = factory;
    this.release = release;
  }

  /** Against the server at {@code TEMPORAL_ADDRESS} (127.0.0.1:7233), namespace {@code TEMPORAL_NAMESPACE}. */
  public static TemporalBench fromArgs(String[] args, Map<String, String> env) {
    Settings settings = Settings.parse(args);
    String address = orDefault(env.get("TEMPORAL_ADDRESS"), DEFAULT_ADDRESS);
    String namespace = orDefault(env.get("TEMPORAL_NAMESPACE"), DEFAULT_NAMESPACE);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client =
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Runnable release =
        () -> {
          factory.shutdownNow();
          factory.awaitTermination(10, TimeUnit.SECONDS);
          service.shutdownNow();
          service.awaitTermination(5, TimeUnit.SECONDS);
        };
    return new TemporalBench(settings, address, client, factory, release);
  }

  /**
   * With the caller's client and a factory not started yet (a test environment's): the bench adds
   * its workers to the factory and starts it; the caller shuts both down.
   */
  public static TemporalBench withTemporal(String[] args, WorkflowClient client, WorkerFactory factory) {
    return new TemporalBench(Settings.parse(args), "in-process", client, factory, () -> {});
  }

  public ObjectNode run() throws TimeoutException {
    String queue = "bench-temporal-" + UUID.randomUUID().toString().substring(0, 8);
    String otherQueue = queue + "-other";
    Thread hook = new Thread(this::endOpenWorkflows, "temporal-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    double loadBefore = loadAverage();
    String serverVersion = serverVersion();
    List<Series> series = new ArrayList<>();
    try {
      TemporalBenchActivitiesImpl activities = new TemporalBenchActivitiesImpl();
      Worker own = factory.newWorker(queue);
      own.registerWorkflowImplementationTypes(TemporalBenchWorkflowImpl.class);
      own.registerActivitiesImplementations(activities);
      factory.newWorker(otherQueue).registerActivitiesImplementations(activities);
      factory.start();
      progress("task queues " + queue + " and " + otherQueue + "; scenarios "
          + String.join(", ", settings.scenarios().stream().map(TemporalScenario::label).toList()));

      for (TemporalScenario scenario : settings.scenarios()) {
        series.add(new Series(scenario));
      }
      int planned = settings.warmup() + settings.updates();
      int workflowsEach = (planned + settings.updatesPerWorkflow() - 1) / settings.updatesPerWorkflow();
      for (int round = 0; round < workflowsEach; round++) {
        progress("workflow " + (round + 1) + " of " + workflowsEach + " per scenario");
        for (Series s : series) {
          runWorkflow(s, queue, otherQueue, round);
        }
      }
    } finally {
      endOpenWorkflows();
      release.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook ends the same workflows
      }
    }
    return report(series, serverVersion, loadBefore);
  }

  /** One workflow of {@code s}'s scenario: an opening Update, then up to a workflow's worth of timed ones. */
  private void runWorkflow(Series s, String queue, String otherQueue, int round) throws TimeoutException {
    int planned = settings.warmup() + settings.updates();
    int count = Math.min(settings.updatesPerWorkflow(), planned - s.sent);
    if (count <= 0) {
      return;
    }
    String id = queue + "-" + s.scenario.label() + "-" + round;
    TemporalBenchWorkflow workflow =
        client.newWorkflowStub(
            TemporalBenchWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(queue)
                .setWorkflowExecutionTimeout(WORKFLOW_TIMEOUT)
                .build());
    open.add(id);
    WorkflowClient.start(workflow::run, new Start(otherQueue));
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    Turn turn = new Turn(s.scenario, settings.work());

    boolean measured = s.sent >= settings.warmup();
    Timed opening = send(stub, turn);
    if (measured) {
      s.first.add(opening.ms);
    }
    for (int i = 0; i < count; i++, s.sent++) {
      Timed t = send(stub, turn);
      if (s.sent >= settings.warmup()) {
        s.add(t);
      }
    }
    workflow.finish();
    int served = stub.getResult(60, TimeUnit.SECONDS, Integer.class);
    open.remove(id);
    if (served != count + 1) {
      throw new IllegalStateException(id + " served " + served + " turns, " + (count + 1) + " were sent");
    }
  }

  private static Timed send(WorkflowStub stub, Turn turn) {
    UpdateOptions<Reply> options =
        UpdateOptions.newBuilder(Reply.class)
            .setUpdateName("turn")
            .setWaitForStage(WorkflowUpdateStage.COMPLETED)
            .build();
    long start = System.nanoTime();
    Reply reply = stub.startUpdate(options, turn).getResult();
    return new Timed((System.nanoTime() - start) / 1e6, reply);
  }

  private ObjectNode report(List<Series> series, String serverVersion, double loadBefore) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("suite", "bench temporal");
    out.put("date", Instant.now().toString());
    out.put("temporal_address", address);
    out.put("namespace", client.getOptions().getNamespace());
    if (serverVersion != null) {
      out.put("server_version", serverVersion);
    }
    out.put("work", settings.workName());
    ObjectNode work = out.putObject("work_ms");
    work.put("input_check", settings.work().inputCheckMs());
    work.put("retrieval", settings.work().retrievalMs());
    work.put("answer", settings.work().answerMs());
    work.put("output_filter", settings.work().outputFilterMs());
    out.put("updates", settings.updates());
    out.put("warmup", settings.warmup());
    out.put("updates_per_workflow", settings.updatesPerWorkflow());
    out.put(
        "method",
        "Updates sent one after another (WaitForStage COMPLETED), timed in the client with System.nanoTime;"
            + " work is measured inside each awaited activity; overhead = latency - work. Each workflow opens"
            + " with one Update timed apart (first_update_ms), the scenarios take turns a workflow at a time.");
    ObjectNode scenarios = out.putObject("scenarios");
    for (Series s : series) {
      ObjectNode row = scenarios.putObject(s.scenario.label());
      row.put("shape", s.scenario.shape());
      row.put("n", s.latencies.size());
      row.set("latency_ms", latency(s.latencies));
      row.put("work_nominal_ms", s.scenario.isTurn() ? settings.work().totalMs() : 0);
      row.set("work_ms", latency(s.work));
      row.set("overhead_ms", latency(s.overhead));
      if (s.scenario.awaitsQueuedActivity()) {
        row.set("schedule_to_start_ms", latency(s.scheduleToStart));
      }
      row.set("first_update_ms", latency(s.first));
      row.set("histogram", LatencyHistogram.of(s.latencies));
    }
    ObjectNode machine = out.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_gib", Math.round(TurnBench.totalMemoryGib() * 10) / 10.0);
    machine.put("load_average_1m_before", Stats.round(loadBefore, 2));
    machine.put("load_average_1m_after", Stats.round(loadAverage(), 2));
    return out;
  }

  /** {@code {p50, p95, p99, mean, max}}, one decimal. */
  static ObjectNode latency(List<Double> values) {
    ObjectNode base = Stats.latency(values);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("p50", base.get("p50"));
    node.set("p95", base.get("p95"));
    node.put("p99", Stats.round(Stats.percentile(values, 0.99), 1));
    node.put("mean", Stats.round(Stats.mean(values), 1));
    node.set("max", base.get("max"));
    return node;
  }

  private void endOpenWorkflows() {
    for (String id : List.copyOf(open)) {
      try {
        client.newUntypedWorkflowStub(id).terminate("bench temporal ended");
      } catch (RuntimeException e) {
        // already closed, or the server is gone: the workflow timeout ends it
        progress("could not end " + id + ": " + e.getMessage());
      }
      open.remove(id);
    }
  }

  private String serverVersion() {
    try {
      String v = client.getWorkflowServiceStubs().blockingStub()
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion();
      return v.isBlank() ? null : v;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void progress(String message) {
    System.err.println("bench temporal: " + message);
  }

  private record Timed(double ms, Reply reply) {}

  /** One scenario's figures. */
  private static final class Series {
    final TemporalScenario scenario;
    final List<Double> latencies = new ArrayList<>();
    final List<Double> work = new ArrayList<>();
    final List<Double> overhead = new ArrayList<>();
    final List<Double> scheduleToStart = new ArrayList<>();
    final List<Double> first = new ArrayList<>();
    /** Timed Updates sent so far, warm-up included. */
    int sent;

    Series(TemporalScenario scenario) {
      this.scenario = scenario;
    }

    void add(Timed t) {
      double workMs = t.reply().workNanos() / 1e6;
      latencies.add(t.ms());
      work.add(workMs);
      overhead.add(t.ms() - workMs);
      scheduleToStart.add((double) t.reply().scheduleToStartMs());
    }
  }
}
