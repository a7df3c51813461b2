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
  public static final int PARALLEL_DOCUMENTS = 4;
  /** Failures kept in the progress; the count covers them all. */
  static final int MAX_FAILURES_KEPT = 50;
  static final String DEFAULT_ALIAS = "kb-chunks";
  /**
   * Documents one run handles before continuing as new: each costs about four history events, so
   * a run stays near 4,000 events, well below Temporal's limits, for sources of any size.
   */
  static final int DOCUMENTS_PER_RUN = 1_000;
  /** Documents planned per {@code planPage} call. */
  public static final int PAGE_SIZE = 100;
  /** Version 1: the source is read page by page and the run continues as new when it is long. */
  static final String PAGED = "paged-ingestion";

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
    if (Workflow.getVersion(PAGED, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return runWhole(request);
    }
    String alias = alias(request);
    String source = request.source() == null ? "" : request.source();
    int perRun = request.documentsPerRun() > 0 ? request.documentsPerRun() : DOCUMENTS_PER_RUN;
    String after = null;
    if (request.resume() == null) {
      index = activities.chooseIndex(alias, request.fullRebuild(), runToken());
    } else {
      restore(request.resume().progress());
      after = request.resume().after();
    }
    status = "INDEXING";
    int handled = 0;
    SourcePage page;
    do {
      if (handled >= perRun) {
        Workflow.continueAsNew(request.continuedAfter(after, getProgress()));
      }
      page = activities.planPage(source, index, after, Math.min(PAGE_SIZE, perRun));
      total = page.total();
      skipped += page.skipped();
      indexAll(source, page.changed());
      handled += page.skipped() + page.changed().size();
      after = page.last();
    } while (page.more());

    if (!page.partial()) {
      deleted = activities.deleteMissing(source, index);
    }
    status = "PUBLISHING";
    activities.publish(alias, index);
    status = "COMPLETED";
    return getProgress();
  }

  private void indexAll(String source, List<SourceDocument> documents) {
    for (int from = 0; from < documents.size(); from += PARALLEL_DOCUMENTS) {
      List<Promise<DocumentResult>> batch = new ArrayList<>();
      for (SourceDocument document : documents.subList(from, Math.min(documents.size(), from + PARALLEL_DOCUMENTS))) {
        batch.add(Async.function(activities::indexDocument, source, index, document));
      }
      for (Promise<DocumentResult> promise : batch) {
        record(promise.get());
      }
    }
  }

  private void restore(IngestionProgress p) {
    total = p.total();
    done = p.done();
    skipped = p.skipped();
    failed = p.failed();
    deleted = p.deleted();
    chunks = p.chunks();
    index = p.index();
    failures.addAll(p.failures());
  }

  private static String alias(IngestionRequest request) {
    return request.alias() == null || request.alias().isBlank() ? DEFAULT_ALIAS : request.alias();
  }

  /** A short token from the workflow id, the same in every run of it, naming a rebuilt index. */
  private static String runToken() {
    String token = Workflow.getInfo().getWorkflowId().replaceAll("[^a-z0-9]", "");
    return token.substring(Math.max(0, token.length() - 12));
  }

  /** Ingestions started before {@link #PAGED}: the whole listing at once, in one run. */
  private IngestionProgress runWhole(IngestionRequest request) {
    String alias = alias(request);
    SourceListing listing = activities.listSource(request.source() == null ? "" : request.source());
    total = listing.documents().size();

    IndexPlan plan = activities.prepareIndex(alias, request.fullRebuild(), runToken());
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
    indexAll(listing.source(), pending);

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
