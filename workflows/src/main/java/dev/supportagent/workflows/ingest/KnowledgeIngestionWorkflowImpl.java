package dev.supportagent.workflows.ingest;

import dev.supportagent.workflows.ActivityDefaults;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public class KnowledgeIngestionWorkflowImpl implements KnowledgeIngestionWorkflow {

  /** Documents indexed at once: the embedding model keeps both cores busy with a few. */
  static final int PARALLEL_DOCUMENTS = 4;
  /** Failures kept in the progress; the count covers them all. */
  static final int MAX_FAILURES_KEPT = 50;
  static final String DEFAULT_ALIAS = "kb-chunks";

  private final IngestActivities activities =
      Workflow.newActivityStub(IngestActivities.class, ActivityDefaults.INGEST);

  private String status = "LISTING";
  private int total;
  private int done;
  private int skipped;
  private int failed;
  private int deleted;
  private long chunks;
  private String index;
  private final List<DocumentFailure> failures = new ArrayList<>();

  @Override
  public IngestionProgress run(IngestionRequest request) {
    String alias = request.alias() == null || request.alias().isBlank() ? DEFAULT_ALIAS : request.alias();
    SourceListing listing = activities.listSource(request.source() == null ? "" : request.source());
    total = listing.documents().size();

    String runToken = Workflow.getInfo().getWorkflowId().replaceAll("[^a-z0-9]", "");
    runToken = runToken.substring(Math.max(0, runToken.length() - 12));
    IndexPlan plan = activities.prepareIndex(alias, request.fullRebuild(), runToken);
    index = plan.index();
    status = "INDEXING";

    List<SourceDocument> pending = new ArrayList<>();
    for (SourceDocument document : listing.documents()) {
      if (document.contentHash().equals(plan.existingHashes().get(document.documentId()))) {
        skipped++;
      } else {
        pending.add(document);
      }
    }
    for (int from = 0; from < pending.size(); from += PARALLEL_DOCUMENTS) {
      List<Promise<DocumentResult>> batch = new ArrayList<>();
      for (SourceDocument document : pending.subList(from, Math.min(pending.size(), from + PARALLEL_DOCUMENTS))) {
        batch.add(Async.function(activities::indexDocument, listing.source(), index, document));
      }
      for (Promise<DocumentResult> promise : batch) {
        record(promise.get());
      }
    }

    Set<String> present = new HashSet<>();
    listing.documents().forEach(d -> present.add(d.documentId()));
    List<String> gone =
        plan.existingHashes().keySet().stream().filter(id -> !present.contains(id)).sorted().toList();
    if (!gone.isEmpty()) {
      deleted = activities.deleteDocuments(index, gone);
    }
    status = "PUBLISHING";
    activities.publish(alias, index);
    status = "COMPLETED";
    return getProgress();
  }

  private void record(DocumentResult result) {
    if (result.failure() == null) {
      done++;
      chunks += result.chunks();
    } else {
      failed++;
      if (failures.size() < MAX_FAILURES_KEPT) {
        failures.add(new DocumentFailure(result.documentId(), result.failure()));
      }
    }
  }

  @Override
  public IngestionProgress getProgress() {
    return new IngestionProgress(status, total, done, skipped, failed, deleted, chunks, index, failures);
  }
}
