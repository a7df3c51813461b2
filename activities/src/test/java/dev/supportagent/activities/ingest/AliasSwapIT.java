package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.ingest.IndexPlan;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.ingest.SourceListing;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full rebuild of the sample help centre on the real Elasticsearch while several threads keep
 * asking questions through the real retrieval activity: no question fails or comes back without
 * its document before, during or after the alias moves; each thread reads the old index until the
 * move and the new one after it, never back; the old index is dropped.
 */
class AliasSwapIT {

  static final Path ROOT = Path.of("../deploy/local");
  static final String SOURCE = "sample-kb";
  static final int QUERY_THREADS = 4;
  static final int TOP_K = 5;
  /** Answers each thread gives before the rebuild starts and after the alias has moved. */
  static final int ANSWERS_PER_PHASE = 3;
  /**
   * Questions and the document that answers each, from the first and the last folders the rebuild
   * writes (it goes in path order), so an alias that moved to a half-built index is caught.
   */
  static final Map<String, String> QUESTIONS =
      Map.of(
          "How do I reset my password?", "account/reset-password.md",
          "How many days do I have to ask for a refund?", "billing/refunds.md",
          "do you ship to switzerland", "shipping/international-customs.md",
          "can I control my lumora lights with siri / apple home?", "troubleshooting/voice-assistants.md");

  static ElasticsearchClient es;
  static EmbeddingModel embeddings;
  static IngestActivitiesImpl activities;
  static ElasticsearchRetrievalActivitiesImpl retrieval;
  static String alias;
  static final List<String> indexes = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    embeddings = new AllMiniLmL6V2EmbeddingModel();
    activities =
        new IngestActivitiesImpl(
            new DocumentIndexer(es, embeddings, new MarkdownChunker()), new DocumentParser(), ROOT);
    alias = "kb-swap-it-" + UUID.randomUUID().toString().substring(0, 8);
    retrieval =
        new ElasticsearchRetrievalActivitiesImpl(
            es, embeddings, alias, HybridRetriever.Mode.HYBRID_CONTEXT,
            ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD,
            new StageTimer(OpenTelemetry.noop()));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (es != null) {
      for (String index : indexes) {
        if (es.indices().exists(e -> e.index(index)).value()) {
          es.indices().delete(d -> d.index(index));
        }
      }
      es.close();
    }
  }

  /** One answer of a query thread, with when it was asked and when it came back. */
  record Answer(int thread, long startedNanos, long endedNanos, String question, RetrievalResult result, Throwable error) {

    String documents() {
      return result == null ? "" : result.passages().stream().map(Passage::documentId).toList().toString();
    }
  }

  /**
   * The steps a {@code KnowledgeIngestionWorkflow} with {@code fullRebuild} runs, in its order:
   * list, a new index, every document, publish. {@code beforePublish} runs just before the move.
   */
  private static String fullRebuild(String runToken, Runnable beforePublish) {
    SourceListing listing = activities.listSource(SOURCE);
    IndexPlan plan = activities.prepareIndex(alias, true, runToken);
    indexes.add(plan.index());
    assertTrue(plan.existingHashes().isEmpty(), "a full rebuild starts from an empty index");
    for (SourceDocument document : listing.documents()) {
      assertNull(activities.indexDocument(listing.source(), plan.index(), document).failure());
    }
    beforePublish.run();
    activities.publish(alias, plan.index());
    return plan.index();
  }

  @Test
  void should_answer_every_query_from_a_complete_index_while_a_full_rebuild_moves_the_alias()
      throws Exception {
    String oldIndex = fullRebuild("old" + UUID.randomUUID().toString().substring(0, 8), () -> {});
    List<String> questions = QUESTIONS.keySet().stream().sorted().toList();

    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(QUERY_THREADS);
    List<Future<?>> threads = new ArrayList<>();
    for (int t = 0; t < QUERY_THREADS; t++) {
      int thread = t;
      threads.add(
          pool.submit(
              () -> {
                for (int n = thread; !stop.get(); n++) {
                  String question = questions.get(n % questions.size());
                  long started = System.nanoTime();
                  try {
                    RetrievalResult r =
                        retrieval.retrieve(new RetrievalRequest("swap-it", "t-" + n, question, List.of(), TOP_K));
                    answers.add(new Answer(thread, started, System.nanoTime(), question, r, null));
                  } catch (Throwable e) {
                    answers.add(new Answer(thread, started, System.nanoTime(), question, null, e));
                  }
                }
              }));
    }

    long rebuildStarted;
    long[] publishStarted = new long[1];
    long publishEnded;
    String newIndex;
    try {
      awaitAnswers(answers, Long.MIN_VALUE);
      rebuildStarted = System.nanoTime();
      newIndex =
          fullRebuild(
              "new" + UUID.randomUUID().toString().substring(0, 8),
              () -> publishStarted[0] = System.nanoTime());
      publishEnded = System.nanoTime();
      awaitAnswers(answers, publishEnded);
    } finally {
      stop.set(true);
      pool.shutdown();
    }
    for (Future<?> thread : threads) {
      thread.get(60, TimeUnit.SECONDS);
    }
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertNotEquals(oldIndex, newIndex);

    List<Answer> all = new ArrayList<>(answers);
    List<Answer> failed = all.stream().filter(a -> a.error() != null).toList();
    assertTrue(
        failed.isEmpty(),
        failed.size() + " of " + all.size() + " queries failed, the first: " + failed.stream().findFirst().map(Answer::error));
    for (Answer a : all) {
      assertEquals(TOP_K, a.result().passages().size(), "a full page of passages for '" + a.question() + "'");
      assertTrue(
          a.documents().contains(QUESTIONS.get(a.question())),
          "'" + a.question() + "' finds " + QUESTIONS.get(a.question()) + " in " + a.result().kbVersion()
              + ", got " + a.documents());
    }

    long before = all.stream().filter(a -> a.endedNanos() < rebuildStarted).count();
    long during = all.stream().filter(a -> a.startedNanos() > rebuildStarted && a.endedNanos() < publishEnded).count();
    long after = all.stream().filter(a -> a.startedNanos() > publishEnded).count();
    assertTrue(before >= QUERY_THREADS * ANSWERS_PER_PHASE, "answers before the rebuild: " + before);
    assertTrue(during >= QUERY_THREADS, "answers while the new index was written: " + during);
    assertTrue(after >= QUERY_THREADS * ANSWERS_PER_PHASE, "answers after the alias moved: " + after);

    // the alias moves in one step: the old index until then, the new one from then on, never back
    for (Answer a : all) {
      if (a.endedNanos() < publishStarted[0]) {
        assertEquals(oldIndex, a.result().kbVersion(), "answered before the move");
      } else if (a.startedNanos() > publishEnded) {
        assertEquals(newIndex, a.result().kbVersion(), "asked after the move");
      } else {
        assertTrue(Set.of(oldIndex, newIndex).contains(a.result().kbVersion()), a.result().kbVersion());
      }
    }
    Map<Integer, List<String>> versionsByThread =
        all.stream()
            .sorted((x, y) -> Long.compare(x.startedNanos(), y.startedNanos()))
            .collect(
                Collectors.groupingBy(
                    Answer::thread, Collectors.mapping(a -> a.result().kbVersion(), Collectors.toList())));
    for (List<String> versions : versionsByThread.values()) {
      int firstNew = versions.indexOf(newIndex);
      assertTrue(firstNew > 0, "each thread read the old index, then the new one");
      assertFalse(versions.subList(firstNew, versions.size()).contains(oldIndex), "no thread went back to the old index");
    }

    assertEquals(Set.of(newIndex), es.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    assertFalse(es.indices().exists(e -> e.index(oldIndex)).value(), "the old index is dropped");
    assertEquals(
        es.count(c -> c.index(newIndex)).count(),
        es.count(c -> c.index(alias)).count(),
        "the alias reads exactly the new index");
  }

  /** Waits until every query thread has answered {@link #ANSWERS_PER_PHASE} questions asked after {@code since}. */
  private static void awaitAnswers(ConcurrentLinkedQueue<Answer> answers, long since) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Map<Integer, Long> perThread =
          answers.stream()
              .filter(a -> a.startedNanos() > since)
              .collect(Collectors.groupingBy(Answer::thread, Collectors.counting()));
      if (perThread.size() == QUERY_THREADS
          && perThread.values().stream().allMatch(n -> n >= ANSWERS_PER_PHASE)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the query threads did not answer in time");
  }
}
