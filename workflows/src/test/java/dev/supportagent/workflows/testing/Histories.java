package dev.supportagent.workflows.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Committed workflow histories under {@code src/test/resources/histories/}, named after the
 * workflow ({@code conversation-*.json}, {@code ingestion-*.json}), replayed against the current
 * code so a change that breaks determinism fails. Guard such changes with {@code Workflow.getVersion}.
 *
 * <p>To record a new history: {@code SUPPORT_RECORD_HISTORY=src/test/resources/histories/NAME.json
 * mvn -pl workflows test -Dtest=...ReplayTest}.
 */
public final class Histories {

  static final Path DIRECTORY = Path.of("src/test/resources/histories");

  private Histories() {}

  /** Replays {@code history}, then writes it where {@code SUPPORT_RECORD_HISTORY} says, if set. */
  public static void replayAndMaybeRecord(WorkflowExecutionHistory history, Class<?> workflowImpl)
      throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history, workflowImpl);
    String record = System.getenv("SUPPORT_RECORD_HISTORY");
    if (record != null) {
      Files.writeString(Path.of(record), history.toJson(true));
    }
  }

  /** Replays every committed history whose file name starts with {@code prefix}. */
  public static void replayCommitted(String prefix, Class<?> workflowImpl) throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIRECTORY)) {
      files =
          list.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json"))
              .sorted()
              .toList();
    }
    assertFalse(files.isEmpty(), "no committed " + prefix + "* histories under " + DIRECTORY);
    for (Path file : files) {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(Files.readString(file)), workflowImpl);
    }
  }
}
