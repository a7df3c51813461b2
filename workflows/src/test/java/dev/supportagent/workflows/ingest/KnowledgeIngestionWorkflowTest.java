package dev.supportagent.workflows.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.testing.ConversationTestEnvironment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KnowledgeIngestionWorkflowTest {

  private ConversationTestEnvironment testEnv;

  @BeforeEach
  void setUp() {
    testEnv = new ConversationTestEnvironment();
    testEnv.ingest.source.put("a.md", "# A\nalpha text");
    testEnv.ingest.source.put("b.html", "<h1>B</h1><p>beta</p>");
    testEnv.ingest.source.put("c.pdf", "BROKEN");
  }

  @AfterEach
  void tearDown() {
    testEnv.close();
  }

  private IngestionProgress ingest(boolean fullRebuild) {
    return ingest(new IngestionRequest("", "kb-test", fullRebuild));
  }

  private IngestionProgress ingest(IngestionRequest request) {
    KnowledgeIngestionWorkflow wf =
        testEnv.env.getWorkflowClient().newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("kb-ingest-" + UUID.randomUUID())
                .setTaskQueue(TaskQueues.INGEST)
                .build());
    return wf.run(request);
  }

  @Test
  void should_index_every_readable_document_and_report_the_unreadable_one() {
    IngestionProgress p = ingest(false);

    assertEquals("COMPLETED", p.status());
    assertEquals(3, p.total());
    assertEquals(2, p.done());
    assertEquals(1, p.failed());
    assertEquals(List.of(new DocumentFailure("c.pdf", "unreadable PDF: IOException")), p.failures());
    assertEquals(p.index(), testEnv.ingest.aliasTarget);
  }

  @Test
  void should_skip_unchanged_documents_reindex_changed_ones_and_remove_deleted_ones() {
    IngestionProgress first = ingest(false);
    testEnv.ingest.source.put("a.md", "# A\nalpha text, changed");
    testEnv.ingest.source.remove("b.html");

    IngestionProgress second = ingest(false);

    assertEquals(first.index(), second.index(), "an update writes the current index in place");
    assertEquals(1, second.done(), "only the changed document");
    assertEquals(0, second.skipped(), "b.html is gone, c.pdf was never indexed");
    assertEquals(1, second.deleted());
    assertEquals(3, testEnv.ingest.indexed.get());
    assertEquals(List.of("a.md"), List.copyOf(testEnv.ingest.indexes.get(second.index()).keySet()));

    IngestionProgress third = ingest(false);
    assertEquals(1, third.skipped());
    assertEquals(0, third.done());
  }

  @Test
  void should_write_a_new_index_and_move_the_alias_on_a_full_rebuild() {
    IngestionProgress first = ingest(false);

    IngestionProgress rebuilt = ingest(true);

    assertNotEquals(first.index(), rebuilt.index());
    assertEquals(2, rebuilt.done(), "a new index holds nothing yet: nothing is skipped");
    assertEquals(rebuilt.index(), testEnv.ingest.aliasTarget);
    assertEquals(2, testEnv.ingest.published.get());
  }

  @Test
  void should_fail_with_invalid_source_when_the_source_is_empty() {
    testEnv.ingest.source.clear();

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> ingest(false));

    assertEquals(FailureType.INVALID_SOURCE, FailureType.of(e).orElseThrow());
  }

  @Test
  void should_answer_progress_queries_after_completion() {
    String id = "kb-ingest-" + UUID.randomUUID();
    WorkflowClient client = testEnv.env.getWorkflowClient();
    KnowledgeIngestionWorkflow wf =
        client.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());
    wf.run(new IngestionRequest("", "kb-test", false));

    IngestionProgress p = client.newWorkflowStub(KnowledgeIngestionWorkflow.class, id).getProgress();

    assertEquals("COMPLETED", p.status());
    assertEquals(2, p.done());
  }

  @Test
  void should_continue_as_new_when_a_run_has_handled_its_share_and_finish_with_the_same_totals() {
    for (int i = 0; i < 9; i++) {
      testEnv.ingest.source.put("doc-" + i + ".md", "# D" + i + "\ntext " + i);
    }
    testEnv.ingest.source.remove("c.pdf");
    String id = "kb-ingest-" + UUID.randomUUID();
    WorkflowClient client = testEnv.env.getWorkflowClient();
    KnowledgeIngestionWorkflow wf =
        client.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());

    IngestionProgress p = wf.run(new IngestionRequest("", "kb-test", false, 3, null));

    assertEquals("COMPLETED", p.status());
    assertEquals(11, p.total());
    assertEquals(11, p.done(), "counts carry across runs");
    assertEquals(11, testEnv.ingest.indexed.get(), "no document indexed twice");
    assertEquals(11, testEnv.ingest.indexes.get(p.index()).size());
    assertEquals(4, testEnv.ingest.pagesPlanned.get(), "pages of 3: 3 + 3 + 3 + 2");
    int runs = 0;
    for (var e : client.fetchHistory(id).getEvents()) {
      runs += e.hasWorkflowExecutionStartedEventAttributes() ? 1 : 0;
    }
    assertEquals(1, runs, "fetchHistory reads the last run only");
    var describe = client.newUntypedWorkflowStub(id).describe();
    assertTrue(describe.getWorkflowExecutionInfo().hasParentExecution() == false);
    assertNotEquals(
        describe.getWorkflowExecutionInfo().getFirstRunId(), describe.getExecution().getRunId(),
        "the last run is not the first: the workflow continued as new");
  }

  @Test
  void should_keep_documents_an_upload_does_not_hold() {
    IngestionProgress folder = ingest(false);
    testEnv.ingest.source.remove("b.html");
    testEnv.ingest.source.put("new.md", "# New\nnew text");

    IngestionProgress upload = ingest(new IngestionRequest("upload:1234", "kb-test", false));

    assertEquals(folder.index(), upload.index());
    assertEquals(0, upload.deleted(), "an upload is partial: b.html stays");
    assertTrue(testEnv.ingest.indexes.get(upload.index()).containsKey("b.html"));
    assertTrue(testEnv.ingest.indexes.get(upload.index()).containsKey("new.md"));
  }
}
