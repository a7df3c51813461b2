package dev.supportagent.worker;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.embedding.TurnEmbeddings;
import dev.supportagent.activities.escalation.RedisCustomerMemory;
import dev.supportagent.activities.escalation.RedisEscalationActivities;
import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.guard.GuardActivitiesImpl;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.IngestActivitiesImpl;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.ingest.UploadStore;
import dev.supportagent.activities.model.AnswerActivitiesImpl;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.Map;
import org.redisson.api.RedissonClient;

/**
 * The activities a worker serves, wired as the worker wires them (default configuration, the
 * offline answerer, the documents' model for ingestion and the queries' model on the turn's path)
 * against the real servers of the integration tests.
 */
final class InProcessActivities {

  private InProcessActivities() {}

  static SupportWorkers.Activities of(
      ElasticsearchClient es, EmbeddingModel documents, RedissonClient redis, Telemetry telemetry, String kbAlias,
      Path kbRoot, ElasticsearchTurnLog turnLog) {
    return of(es, documents, redis, telemetry, kbAlias, kbRoot, turnLog, WorkerConfig.fromEnv(Map.of()));
  }

  /** The same with the worker's configuration from {@code config} (its model chains, for one). */
  static SupportWorkers.Activities of(
      ElasticsearchClient es, EmbeddingModel documents, RedissonClient redis, Telemetry telemetry, String kbAlias,
      Path kbRoot, ElasticsearchTurnLog turnLog, WorkerConfig config) {
    StageTimer timer = new StageTimer(telemetry.openTelemetry());
    EmbeddingModel queries = new TurnEmbeddings(Embeddings.queries());
    return new SupportWorkers.Activities(
        new GuardActivitiesImpl(
            InputGuard.builder(InputGuardConfig.defaults()).embeddingModel(queries).build(),
            new OutputFilter(), timer),
        new ElasticsearchRetrievalActivitiesImpl(
            es, queries, kbAlias, HybridRetriever.Mode.HYBRID_CONTEXT,
            ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD, timer),
        new AnswerActivitiesImpl(
            WorkerMain.answerParts(config, redis, es, queries, telemetry), timer,
            telemetry.openTelemetry()),
        new IngestActivitiesImpl(
            new DocumentIndexer(es, documents, new MarkdownChunker()), new DocumentParser(), kbRoot,
            UploadStore.redis(redis)),
        new RedisEscalationActivities(redis, new ObjectMapper(), null),
        new RedisCustomerMemory(redis),
        turnLog);
  }
}
