package dev.supportagent.worker;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.ingest.DocumentFailure;
import dev.supportagent.workflows.ingest.IngestionProgress;
import dev.supportagent.workflows.ingest.IngestionRequest;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code support-worker.jar ingest [--full-rebuild] [--alias NAME] SOURCE}: starts a {@code
 * KnowledgeIngestionWorkflow} on Temporal (served by the running workers), draws its progress as a
 * bar on standard error, and prints the final progress as JSON on standard output. SOURCE is a
 * folder below the workers' knowledge-base root ({@code SUPPORT_KB_ROOT}); a path that resolves
 * inside the root is taken relative to it.
 *
 * <p>Exit codes: 0 every document indexed or skipped, 1 some documents failed (listed) or the
 * ingestion failed, 2 bad input (usage, a source that is missing, empty or outside the root).
 */
final class IngestCommand {

  static final String USAGE = "usage: support-worker.jar ingest [--full-rebuild] [--alias NAME] SOURCE";
  private static final Duration POLL = Duration.ofMillis(500);

  record Args(String source, String alias, boolean fullRebuild) {}

  private IngestCommand() {}

  /** Parses the arguments after {@code ingest}; throws IllegalArgumentException with the problem. */
  static Args parse(List<String> args, Path kbRoot) {
    String source = null;
    String alias = null;
    boolean fullRebuild = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--full-rebuild" -> fullRebuild = true;
        case "--alias" -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("--alias needs a value\n" + USAGE);
          }
          alias = args.get(++i);
        }
        default -> {
          if (a.startsWith("-") || source != null) {
            throw new IllegalArgumentException("unexpected argument " + a + "\n" + USAGE);
          }
          source = a;
        }
      }
    }
    if (source == null) {
      throw new IllegalArgumentException(USAGE);
    }
    return new Args(relativeToRoot(source, kbRoot), alias, fullRebuild);
  }

  /** {@code source} below the root, relative to it, when it names a path inside the root. */
  static String relativeToRoot(String source, Path kbRoot) {
    Path root = kbRoot.toAbsolutePath().normalize();
    Path path = Path.of(source).toAbsolutePath().normalize();
    if (path.startsWith(root)) {
      return root.relativize(path).toString();
    }
    return source;
  }

  static int run(WorkflowClient client, Args args, PrintStream out, PrintStream err) throws Exception {
    String id = "kb-ingest-" + UUID.randomUUID();
    KnowledgeIngestionWorkflow workflow =
        client.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());
    WorkflowClient.start(workflow::run, new IngestionRequest(args.source(), args.alias(), args.fullRebuild()));
    err.println("ingestion " + id + " started (source \"" + args.source() + "\")");

    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    CompletableFuture<IngestionProgress> result = stub.getResultAsync(IngestionProgress.class);
    KnowledgeIngestionWorkflow query = client.newWorkflowStub(KnowledgeIngestionWorkflow.class, id);
    IngestionProgress progress;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("Ingesting")
            .setInitialMax(0)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" docs", 1)
            .setUpdateIntervalMillis((int) POLL.toMillis())
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .build()) {
      while (true) {
        try {
          progress = result.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
          show(bar, progress);
          break;
        } catch (TimeoutException stillRunning) {
          show(bar, query.getProgress());
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkflowFailedException failed
          && FailureType.of(failed).orElse(null) == FailureType.INVALID_SOURCE) {
        err.println(rootMessage(failed));
        return 2;
      }
      err.println("ingestion " + id + " failed: " + rootMessage(cause));
      return 1;
    }
    out.println(json(progress));
    if (progress.failed() > 0) {
      err.println(progress.failed() + " document(s) could not be indexed:");
      for (DocumentFailure f : progress.failures()) {
        err.println("  " + f.documentId() + ": " + f.reason());
      }
      return 1;
    }
    return 0;
  }

  private static void show(ProgressBar bar, IngestionProgress p) {
    if (p.total() > 0) {
      bar.maxHint(p.total());
    }
    bar.stepTo((long) p.done() + p.skipped() + p.failed());
    bar.setExtraMessage(
        p.status().toLowerCase() + ", " + p.done() + " indexed, " + p.skipped() + " unchanged, "
            + p.failed() + " failed, " + p.chunks() + " chunks");
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static String json(IngestionProgress p) {
    List<String> fields = new ArrayList<>();
    fields.add("\"status\":\"" + p.status() + "\"");
    fields.add("\"index\":\"" + p.index() + "\"");
    fields.add("\"total\":" + p.total());
    fields.add("\"done\":" + p.done());
    fields.add("\"skipped\":" + p.skipped());
    fields.add("\"failed\":" + p.failed());
    fields.add("\"deleted\":" + p.deleted());
    fields.add("\"chunks\":" + p.chunks());
    return "{" + String.join(",", fields) + "}";
  }
}
