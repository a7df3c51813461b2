package dev.supportagent.workflows.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import dev.supportagent.workflows.testing.Histories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Replays ingestions against the current {@link KnowledgeIngestionWorkflowImpl}: see {@link Histories}. */
class IngestionReplayTest {

  @Test
  void should_replay_an_ingestion_recorded_with_the_current_code() throws Exception {
    Histories.replayAndMaybeRecord(recordIngestion(), KnowledgeIngestionWorkflowImpl.class);
  }

  @Test
  void should_replay_every_committed_history() throws Exception {
    Histories.replayCommitted("ingestion-", KnowledgeIngestionWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory recordIngestion() {
    try (ConversationTestEnvironment testEnv = new ConversationTestEnvironment()) {
      testEnv.ingest.source.put("a.md", "# A\nalpha text");
      testEnv.ingest.source.put("b.html", "<h1>B</h1><p>beta</p>");
      testEnv.ingest.source.put("c.pdf", "BROKEN");
      testEnv.ingest.source.put("d.txt", "delta");
      WorkflowClient client = testEnv.env.getWorkflowClient();
      String first = "kb-ingest-" + UUID.randomUUID();
      start(client, first).run(new IngestionRequest("", "kb-replay", false));
      // a second run skips, updates and deletes
      testEnv.ingest.source.put("a.md", "# A\nalpha text, changed");
      testEnv.ingest.source.remove("d.txt");
      String second = "kb-ingest-" + UUID.randomUUID();
      IngestionProgress progress = start(client, second).run(new IngestionRequest("", "kb-replay", false));
      assertEquals(1, progress.deleted());
      return client.fetchHistory(second);
    }
  }

  private static KnowledgeIngestionWorkflow start(WorkflowClient client, String id) {
    return client.newWorkflowStub(
        KnowledgeIngestionWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());
  }
}
