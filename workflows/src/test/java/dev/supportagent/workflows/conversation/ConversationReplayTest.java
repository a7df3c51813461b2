package dev.supportagent.workflows.conversation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Replays histories against the current {@link ConversationWorkflowImpl}: a fresh one, and the
 * committed ones under {@code src/test/resources/histories/}, recorded from earlier versions. A
 * change that breaks determinism fails here; guard it with {@code Workflow.getVersion}.
 *
 * <p>To record a new history: {@code SUPPORT_RECORD_HISTORY=src/test/resources/histories/NAME.json
 * mvn -pl workflows test -Dtest=ConversationReplayTest}.
 */
class ConversationReplayTest {

  static final Path HISTORIES = Path.of("src/test/resources/histories");

  @Test
  void should_replay_a_conversation_recorded_with_the_current_code() throws Exception {
    WorkflowExecutionHistory history = recordConversation();

    WorkflowReplayer.replayWorkflowExecution(history, ConversationWorkflowImpl.class);

    String record = System.getenv("SUPPORT_RECORD_HISTORY");
    if (record != null) {
      Files.writeString(Path.of(record), history.toJson(true));
    }
  }

  @Test
  void should_replay_every_committed_history() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(HISTORIES)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no committed histories under " + HISTORIES);
    for (Path file : files) {
      WorkflowReplayer.replayWorkflowExecution(
          WorkflowExecutionHistory.fromJson(Files.readString(file)), ConversationWorkflowImpl.class);
    }
  }

  private static WorkflowExecutionHistory recordConversation() throws IOException {
    try (ConversationTestEnvironment testEnv = new ConversationTestEnvironment()) {
      WorkflowClient client = testEnv.env.getWorkflowClient();
      String id = "conversation-" + UUID.randomUUID();
      ConversationWorkflow wf =
          client.newWorkflowStub(
              ConversationWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CONVERSATIONS).build());
      WorkflowClient.start(
          wf::run,
          new ConversationStart(id, "customer-1", null, List.of(new HistoryMessage("user", "hello")), 0));
      for (String text : List.of("Can I get a refund?", "BLOCKME now", "and for the hub?")) {
        ConversationClient.sendMessage(client, id, new UserTurn(UUID.randomUUID().toString(), text));
      }
      wf.close(new CloseRequest("customer_app", null));
      ConversationResult result = client.newUntypedWorkflowStub(id).getResult(ConversationResult.class);
      assertTrue(result.turnCount() == 3);
      return client.fetchHistory(id);
    }
  }
}
