package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.IngestActivitiesImpl;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.workflows.ingest.IngestionProgress;
import dev.supportagent.workflows.ingest.IngestionRequest;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflow;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker killed in the middle of an ingestion, on the real Temporal dev server and
 * Elasticsearch: a fresh worker (its own connection, clients and worker factory, as after a
 * process restart) finishes the same workflow, and the index holds every chunk of every document
 * exactly once, the chunks a clean ingestion of the folder produces.
 */
class IngestionRestartIT {

  private static final Logger log = LoggerFactory.getLogger(IngestionRestartIT.class);

  static final String SOURCE = "restart-kb";
  static final int DOCUMENTS = 60;
  /** Documents done when the first worker is killed: some, far from all. */
  static final int DONE_AT_KILL = 10;
  /**
   * Shorter than the ingestion steps' start-to-close timeout (5 minutes): the documents the killed
   * worker had in flight must be retried after their heartbeat timeout, not after that one.
   */
  static final Duration RESTART_DEADLINE = Duration.ofMinutes(3);

  @TempDir static Path root;
  static EmbeddingModel embeddings;
  static ElasticsearchClient es;
  static WorkflowServiceStubs service;
  static WorkflowClient temporal;
  static String taskQueue;
  static String alias;
  static String index;
  static String workflowId;
  /** Chunks per document, from parsing and chunking the folder without Elasticsearch. */
  static final Map<String, Integer> expectedChunks = new TreeMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    service = connect();
    temporal = client(service);
    embeddings = new AllMiniLmL6V2EmbeddingModel();
    String run = UUID.randomUUID().toString().substring(0, 8);
    taskQueue = "ingest-restart-it-" + run;
    alias = "kb-restart-it-" + run;

    Path folder = root.resolve(SOURCE);
    writeDocuments(folder);
    DocumentParser parser = new DocumentParser();
    MarkdownChunker chunker = new MarkdownChunker();
    for (Path file : KnowledgeBaseIndexer.documents(folder)) {
      String id = KnowledgeBaseIndexer.documentId(folder, file);
      expectedChunks.put(id, chunker.chunk(id, parser.parse(file, id)).size());
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (workflowId != null) {
      WorkflowStub stub = temporal.newUntypedWorkflowStub(workflowId);
      if (stub.describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        stub.terminate("the test is over");
      }
    }
    if (service != null) {
      service.shutdown();
    }
    if (es != null) {
      if (es.indices().existsAlias(a -> a.name(alias)).value()) {
        es.indices().getAlias(a -> a.name(alias)).aliases().keySet().forEach(IngestionRestartIT::deleteIndex);
      }
      if (index != null) {
        deleteIndex(index);
      }
      es.close();
    }
  }

  private static void deleteIndex(String name) {
    try {
      if (es.indices().exists(e -> e.index(name)).value()) {
        es.indices().delete(d -> d.index(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Markdown help pages of a few sections each, in folders, with enough words that every page
   * has several chunks and the whole folder takes the ingestion some seconds.
   */
  private static void writeDocuments(Path folder) throws IOException {
    String[] words = (
        "hub bulb strip light scene room schedule app account firmware update pair reset wifi network "
            + "router signal colour brightness dim timer sensor motion door window battery charge cable "
            + "power supply socket switch remote voice assistant family member guest invite plan billing "
            + "invoice refund order delivery parcel return warranty claim support ticket agent privacy "
            + "cookie export data delete password security code backup login device phone tablet")
        .split(" ");
    Random random = new Random(42);
    for (int d = 0; d < DOCUMENTS; d++) {
      StringBuilder page = new StringBuilder("# Help page " + d + "\n\n");
      int sections = 2 + random.nextInt(3);
      for (int s = 0; s < sections; s++) {
        page.append("## Section ").append(s).append(" of page ").append(d).append("\n\n");
        int length = 80 + random.nextInt(220);
        for (int w = 0; w < length; w++) {
          page.append(words[random.nextInt(words.length)]).append(w % 12 == 11 ? ".\n" : " ");
        }
        page.append("\n\n");
      }
      Path file = folder.resolve("topic-" + d % 6).resolve(String.format("page-%03d.md", d));
      Files.createDirectories(file.getParent());
      Files.writeString(file, page);
    }
  }

  private static WorkflowServiceStubs connect() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(IntegrationEnv.temporalAddress()).build());
  }

  private static WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  /** What a worker process holds: its connection to Temporal, its Elasticsearch client, its workers. */
  private record WorkerProcess(WorkflowServiceStubs service, ElasticsearchClient es, WorkerFactory factory) {

    static WorkerProcess start() {
      WorkflowServiceStubs service = connect();
      ElasticsearchClient es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
      WorkerFactory factory = SupportWorkers.newFactory(client(service));
      SupportWorkers.registerIngestion(
          factory,
          taskQueue,
          new IngestActivitiesImpl(
              new DocumentIndexer(es, embeddings, new MarkdownChunker()), new DocumentParser(), root));
      factory.start();
      return new WorkerProcess(service, es, factory);
    }

    /**
     * Dies as a killed process does: the connection goes first, so the activities it was running
     * are never reported, neither completed nor failed; then its threads stop.
     */
    void kill() throws IOException {
      service.shutdownNow();
      factory.shutdownNow();
      es.close();
    }

    void stop() throws IOException {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      service.shutdown();
      es.close();
    }
  }

  @Test
  void should_finish_an_ingestion_without_duplicate_chunks_when_its_worker_dies_midway() throws Exception {
    workflowId = "kb-ingest-" + UUID.randomUUID();
    KnowledgeIngestionWorkflow workflow =
        temporal.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(taskQueue).build());

    WorkerProcess first = WorkerProcess.start();
    IngestionProgress atKill;
    long started = System.nanoTime();
    try {
      WorkflowClient.start(workflow::run, new IngestionRequest(SOURCE, alias, false));
      atKill = awaitMidway(workflow, workflowId);
    } finally {
      first.kill();
    }
    long killed = System.nanoTime();
    index = atKill.index();
    assertEquals(DOCUMENTS, atKill.total());
    assertTrue(atKill.done() >= DONE_AT_KILL && atKill.done() < DOCUMENTS, "killed midway: " + atKill);

    WorkerProcess second = WorkerProcess.start();
    IngestionProgress result;
    try {
      result = WorkflowStub.fromTyped(workflow).getResult(RESTART_DEADLINE.toSeconds(), TimeUnit.SECONDS, IngestionProgress.class);
    } finally {
      second.stop();
    }
    long finished = System.nanoTime();
    log.info(
        "{} of {} documents done after {} ms, worker killed; the ingestion finished {} ms after the restart",
        atKill.done(), DOCUMENTS, TimeUnit.NANOSECONDS.toMillis(killed - started),
        TimeUnit.NANOSECONDS.toMillis(finished - killed));

    assertEquals("COMPLETED", result.status(), result.toString());
    assertEquals(DOCUMENTS, result.total());
    assertEquals(result.total(), result.done() + result.skipped() + result.failed(), result.toString());
    assertEquals(DOCUMENTS, result.done(), "a fresh index: every document written, none skipped");
    long expectedTotal = expectedChunks.values().stream().mapToLong(Integer::longValue).sum();
    assertEquals(expectedTotal, result.chunks(), "each document's chunks counted once");
    assertTrue(retriedDocuments(workflowId) > 0, "the killed worker left documents in flight, and they were retried");

    // the index: exactly documentId#0..n-1 for every document, nothing more
    es.indices().refresh(r -> r.index(alias));
    assertEquals(Set.of(index), es.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    assertEquals(expectedTotal, es.count(c -> c.index(alias)).count(), "no chunk twice");
    Set<String> expectedIds = new HashSet<>();
    expectedChunks.forEach((id, n) -> {
      for (int i = 0; i < n; i++) {
        expectedIds.add(id + "#" + i);
      }
    });
    Map<String, Integer> chunksPerDocument = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (Hit<Void> hit :
        es.search(s -> s.index(alias).size(DocumentIndexer.MAX_DOCUMENTS).source(src -> src.fetch(false)), Void.class)
            .hits().hits()) {
      ids.add(hit.id());
      chunksPerDocument.merge(hit.id().substring(0, hit.id().lastIndexOf('#')), 1, Integer::sum);
    }
    assertEquals(expectedChunks, new TreeMap<>(chunksPerDocument), "chunks per document, as a clean ingestion writes them");
    assertEquals(expectedIds, ids);
  }

  /**
   * Polls the progress until {@link #DONE_AT_KILL} documents are done and two are being indexed
   * at this moment, so the kill interrupts documents in flight.
   */
  private static IngestionProgress awaitMidway(KnowledgeIngestionWorkflow workflow, String workflowId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    IngestionProgress progress = null;
    while (System.nanoTime() < deadline) {
      progress = workflow.getProgress();
      if (progress.done() >= DONE_AT_KILL && indexingNow(workflowId) >= 2) {
        return progress;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the ingestion did not get midway in time: " + progress);
  }

  /** {@code IndexDocument} activities a worker has started and not yet finished. */
  private static long indexingNow(String workflowId) {
    return temporal.newUntypedWorkflowStub(workflowId).describe().getRawDescription().getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("IndexDocument"))
        .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
        .count();
  }

  /** {@code IndexDocument} activities that completed on a later attempt than their first. */
  private static long retriedDocuments(String workflowId) {
    List<HistoryEvent> events = temporal.fetchHistory(workflowId).getEvents();
    Set<Long> indexDocument = new HashSet<>();
    for (HistoryEvent e : events) {
      if (e.hasActivityTaskScheduledEventAttributes()
          && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("IndexDocument")) {
        indexDocument.add(e.getEventId());
      }
    }
    // history keeps the started event of the last attempt only, with its number
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
        .map(HistoryEvent::getActivityTaskStartedEventAttributes)
        .filter(a -> indexDocument.contains(a.getScheduledEventId()) && a.getAttempt() > 1)
        .count();
  }
}
