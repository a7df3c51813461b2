package dev.supportagent.worker;

import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.telemetry.TemporalTracing;
import dev.supportagent.telemetry.Telemetry;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.model.embedding.EmbeddingModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.embedding.TurnEmbeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.escalation.EscalationMetrics;
import dev.supportagent.activities.escalation.RedisCustomerMemory;
import dev.supportagent.activities.escalation.RedisEscalationActivities;
import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.filter.OutputGuardConfig;
import dev.supportagent.activities.pii.Redactor;
import dev.supportagent.activities.guard.GuardActivitiesImpl;
import dev.supportagent.activities.guard.IndexedKbVocabulary;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.PassageScanner;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.IngestActivitiesImpl;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.ingest.UploadStore;
import dev.supportagent.activities.model.AnswerActivitiesImpl;
import dev.supportagent.activities.model.AnswerStreamWriter;
import dev.supportagent.activities.model.CostBudget;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.activities.model.PromptTemplates;
import dev.supportagent.activities.model.TurnRouter;
import dev.supportagent.activities.model.cache.AnswerCache;
import dev.supportagent.activities.model.cache.AnswerCacheSettings;
import dev.supportagent.activities.model.cache.KnowledgeBaseVersion;
import dev.supportagent.activities.model.cache.RedisAnswerCache;
import dev.supportagent.activities.model.gateway.CircuitBreaker;
import dev.supportagent.activities.model.gateway.ModelGateway;
import dev.supportagent.activities.model.gateway.RedisCircuitBreaker;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process. {@code java -jar support-worker.jar} serves the task queues; {@code ... ingest
 * SOURCE} runs an ingestion on them with a progress bar ({@link IngestCommand}); {@code ... ingest
 * --direct DIR} indexes a folder in this process, without Temporal (0 done, 2 bad input, 1
 * failure).
 */
public final class WorkerMain {

  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    WorkerConfig config;
    OutputGuardConfig outputGuard;
    try {
      config = WorkerConfig.fromEnv(System.getenv());
      outputGuard = OutputGuardConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length > 1 && args[0].equals("ingest") && args[1].equals("--direct")) {
      System.exit(ingestDirect(config, args));
    } else if (args.length > 0 && args[0].equals("ingest")) {
      System.exit(ingest(config, List.of(args).subList(1, args.length)));
    } else if (args.length > 0) {
      System.err.println("usage: support-worker.jar [ingest [--full-rebuild] [--alias NAME] SOURCE | ingest --direct DIR]");
      System.exit(2);
    } else {
      serve(config, outputGuard);
    }
  }

  static int ingest(WorkerConfig config, List<String> args) {
    IngestCommand.Args parsed;
    try {
      parsed = IngestCommand.parse(args, config.kbRoot());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    WorkflowServiceStubs service = connect(config);
    try {
      return IngestCommand.run(client(service, config), parsed, System.out, System.err);
    } catch (Exception e) {
      log.error("ingestion failed", e);
      return 1;
    } finally {
      service.shutdown();
    }
  }

  private static WorkflowServiceStubs connect(WorkerConfig config) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalAddress()).build());
  }

  private static WorkflowClient client(WorkflowServiceStubs service, WorkerConfig config) {
    return WorkflowClient.newInstance(
        service,
        TemporalTracing.propagateTraces(WorkflowClientOptions.newBuilder())
            .setNamespace(config.temporalNamespace())
            .build());
  }

  static int ingestDirect(WorkerConfig config, String[] args) {
    if (args.length != 3) {
      System.err.println("usage: support-worker.jar ingest --direct DIR");
      return 2;
    }
    try (ElasticsearchClient es = ElasticsearchClients.create(config.elasticsearchUrl())) {
      KnowledgeBaseIndexer indexer =
          new KnowledgeBaseIndexer(
              new DocumentIndexer(
                  es, Embeddings.documents(config.embeddings()), config.embeddings().name(), new MarkdownChunker()),
              config.kbAlias());
      KnowledgeBaseIndexer.Report report = indexer.ingest(Path.of(args[2]));
      System.out.printf(
          "{\"kb_version\":\"%s\",\"index\":\"%s\",\"documents\":%d,\"chunks\":%d,\"skipped\":%s}%n",
          report.kbVersion(), report.index(), report.documents(), report.chunks(), report.skipped());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      log.error("ingestion failed", e);
      return 1;
    }
  }

  static void serve(WorkerConfig config, OutputGuardConfig outputGuard) throws Exception {
    Telemetry telemetry = Telemetry.create("support-worker", System.getenv());
    ElasticsearchClient es = ElasticsearchClients.create(config.elasticsearchUrl());
    EmbeddingModel embeddings = Embeddings.documents(config.embeddings());
    StageTimer timer = new StageTimer(telemetry.openTelemetry());
    // a bad SUPPORT_GUARD_INPUT_* setting stops the worker here, naming each
    // the input guard's embedding of a message is reused when retrieval embeds the same text
    // (the quantized model: it is on the customer's path; see Embeddings)
    EmbeddingModel turnEmbeddings = new TurnEmbeddings(Embeddings.queries());
    // retrieval's query follows the knowledge base's model (SUPPORT_EMBEDDINGS); the guard and the
    // answer cache keep the local one, which their classifier and thresholds were fitted to
    EmbeddingModel retrievalEmbeddings =
        config.embeddings().local()
            ? turnEmbeddings
            : new TurnEmbeddings(Embeddings.queries(config.embeddings()));
    warnOnEmbeddingMismatch(es, config);
    log.info("embeddings: {}; re-ranker: {}", config.embeddings(), config.reranker());
    InputGuardConfig inputGuardConfig = InputGuardConfig.load(System.getenv());
    InputGuard inputGuard =
        InputGuard.builder(inputGuardConfig)
            .embeddingModel(turnEmbeddings)
            // topical words ("prompt", "model", ...) the help centre uses itself weigh less
            .kbVocabulary(new IndexedKbVocabulary(es, config.kbAlias()))
            .meter(telemetry.openTelemetry().getMeter("dev.supportagent"))
            .build();
    PassageScanner passageScanner =
        new PassageScanner(inputGuardConfig.passageAction(), telemetry.openTelemetry().getMeter("dev.supportagent"));

    RedissonClient redis = redis(config.redisUrl());
    ElasticsearchTurnLog turnLog = new ElasticsearchTurnLog(es, config.turnLogAlias(), Clock.systemUTC(), config.prompts()::versionFor);
    WorkflowServiceStubs service = connect(config);
    WorkflowClient client = client(service, config);
    WorkerFactory factory = SupportWorkers.newFactory(client, telemetry.openTelemetry());
    SupportWorkers.register(
        factory,
        new SupportWorkers.Activities(
            new GuardActivitiesImpl(inputGuard, new OutputFilter(), timer),
            new ElasticsearchRetrievalActivitiesImpl(
                es, retrievalEmbeddings, config.kbAlias(), config.retrievalMode(), config.relevanceThreshold(), timer,
                passageScanner, config.reranker(), telemetry.meter()),
            new AnswerActivitiesImpl(
                answerParts(config, redis, es, turnEmbeddings, telemetry, outputGuard), timer,
                telemetry.openTelemetry()),
            new IngestActivitiesImpl(
                new DocumentIndexer(es, embeddings, config.embeddings().name(), new MarkdownChunker()),
                new DocumentParser(),
                config.kbRoot(),
                UploadStore.redis(redis)),
            new RedisEscalationActivities(
                redis, new ObjectMapper(), config.escalationWebhook(), new EscalationMetrics(telemetry.meter())),
            new RedisCustomerMemory(redis),
            turnLog),
        config.llmConcurrency());
    factory.start();
    ScheduledExecutorService retention = scheduleTurnLogRetention(turnLog, Duration.ofDays(config.turnLogRetentionDays()));

    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 0);
    http.createContext(
        "/healthz",
        ex -> respond(ex, factory.isStarted() && !factory.isShutdown() ? 200 : 503, "text/plain",
            out -> out.write((factory.isShutdown() ? "stopping" : "ok").getBytes(StandardCharsets.UTF_8))));
    http.createContext(
        "/metrics", ex -> respond(ex, 200, telemetry.contentType(), telemetry::writeMetrics));
    http.start();
    log.info(
        "worker serving task queues on {} (namespace {}), health and metrics on :{}",
        config.temporalAddress(), config.temporalNamespace(), config.port());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  retention.shutdownNow();
                  factory.shutdown();
                  factory.awaitTermination(20, TimeUnit.SECONDS);
                  http.stop(0);
                  service.shutdown();
                  redis.shutdown();
                  telemetry.close();
                  try {
                    es.close();
                  } catch (IOException ignored) {
                    // closing at exit: nothing left to do with the error
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }

  /**
   * Logs an error when the knowledge base's vectors come from another model than {@code
   * SUPPORT_EMBEDDINGS} names: its kNN searches fail or find the wrong passages until a full
   * rebuild. Elasticsearch away or no knowledge base yet: nothing to say.
   */
  static void warnOnEmbeddingMismatch(ElasticsearchClient es, WorkerConfig config) {
    try {
      DocumentIndexer.IndexEmbedding indexed = DocumentIndexer.embeddingOf(es, config.kbAlias());
      if (indexed != null && !indexed.model().equals(config.embeddings().name())) {
        log.error(
            "the knowledge base {} holds vectors of {}, but SUPPORT_EMBEDDINGS is {}: retrieval will fail or"
                + " go wrong until a full rebuild (ingest --full-rebuild)",
            config.kbAlias(), indexed, config.embeddings().name());
      }
    } catch (IOException | RuntimeException e) {
      log.debug("could not read the knowledge base's embedding model: {}", e.toString());
    }
  }

  /**
   * Deletes turn log records older than {@code retention}: a minute after start, then daily. A
   * failure (Elasticsearch away) is logged and tried again the next day.
   */
  static ScheduledExecutorService scheduleTurnLogRetention(ElasticsearchTurnLog turnLog, Duration retention) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "turn-log-retention");
          t.setDaemon(true);
          return t;
        });
    executor.scheduleAtFixedRate(
        () -> {
          try {
            List<String> deleted = turnLog.deleteOlderThan(retention);
            if (!deleted.isEmpty()) {
              log.info("turn log retention ({} days): deleted {}", retention.toDays(), deleted);
            }
          } catch (RuntimeException e) {
            log.warn("turn log retention failed: {}", e.toString());
          }
        },
        1, Duration.ofDays(1).toMinutes(), TimeUnit.MINUTES);
    return executor;
  }

  /** The answer path's parts with the default output guard. */
  static AnswerActivitiesImpl.Parts answerParts(
      WorkerConfig config, RedissonClient redis, ElasticsearchClient es, EmbeddingModel embeddings, Telemetry telemetry) {
    return answerParts(config, redis, es, embeddings, telemetry, OutputGuardConfig.defaults());
  }

  /**
   * The answer path's parts: the gateway's breakers, the budgets, the streams and the answer cache
   * live in Redis; the redactor and the output guard run in the answer activity, the guard's
   * verdicts and the cache's lookups counted on {@code telemetry}.
   */
  static AnswerActivitiesImpl.Parts answerParts(
      WorkerConfig config, RedissonClient redis, ElasticsearchClient es, EmbeddingModel embeddings, Telemetry telemetry,
      OutputGuardConfig outputGuard) {
    AnswerCache cache =
        config.answerCache() == null
            ? null
            : new RedisAnswerCache(redis, embeddings, telemetry.meter(), config.answerCache());
    KnowledgeBaseVersion kbVersion = new KnowledgeBaseVersion(es, config.kbAlias());
    return new AnswerActivitiesImpl.Parts(
        // the turn's model: the question's vector is remembered from the input guard
        new OfflineAnswerer(embeddings),
        ModelGateway.builder(config.models())
            .circuitBreaker(new RedisCircuitBreaker(redis, RedisCircuitBreaker.KEY_PREFIX, CircuitBreaker.Settings.DEFAULT))
            .tracer(telemetry.tracer())
            .meter(telemetry.meter())
            .build(),
        new TurnRouter(config.budgets(), config.relevanceThreshold()),
        CostBudget.redis(redis, Clock.systemUTC()),
        new PromptTemplates(config.prompts().versions()),
        config.prompts(),
        new OutputFilter(),
        (conversationId, messageId) -> AnswerStreamWriter.Sink.redis(redis, conversationId, messageId),
        cache,
        kbVersion::current,
        Redactor.forModelCalls(),
        new OutputGuard(outputGuard, telemetry.meter()));
  }

  /**
   * Redis for uploads, answer streams, cost budgets and circuit breakers; Redisson's defaults retry
   * a failed command 3 times.
   */
  static RedissonClient redis(String url) {
    Config c = new Config();
    c.useSingleServer().setAddress(url);
    return Redisson.create(c);
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void respond(HttpExchange ex, int status, String type, Body body)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, 0);
      try (OutputStream out = ex.getResponseBody()) {
        body.write(out);
      }
    }
  }
}
