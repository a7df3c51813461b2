package dev.supportagent.activities.retrieval;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.guard.PassageScanner;
import dev.supportagent.activities.retrieval.rerank.RerankerConfig;
import dev.supportagent.activities.retrieval.rerank.RerankingRetriever;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Retrieval over the {@code kb-chunks} alias: see {@link HybridRetriever}. */
public class ElasticsearchRetrievalActivitiesImpl implements RetrievalActivities {

  /**
   * Elasticsearch's cosine score is (1 + cos) / 2. Below this the best passage is taken for
   * "nothing relevant": 0.70 is a cosine of 0.40 for all-MiniLM-L6-v2.
   */
  public static final double DEFAULT_RELEVANCE_THRESHOLD = 0.70;

  private static final int MAX_TOP_K = 50;

  private final RerankingRetriever retriever;
  private final HybridRetriever.Mode mode;
  private final double threshold;
  private final StageTimer timer;
  private final PassageScanner passages;

  public ElasticsearchRetrievalActivitiesImpl(
      ElasticsearchClient es,
      EmbeddingModel embeddings,
      String alias,
      HybridRetriever.Mode mode,
      double threshold,
      StageTimer timer) {
    this(es, embeddings, alias, mode, threshold, timer, new PassageScanner(PassageScanner.Mode.DROP));
  }

  /**
   * @param passages scans retrieved passages for planted instructions (indirect prompt injection)
   *     and drops or neutralises them before they reach the answer
   */
  public ElasticsearchRetrievalActivitiesImpl(
      ElasticsearchClient es,
      EmbeddingModel embeddings,
      String alias,
      HybridRetriever.Mode mode,
      double threshold,
      StageTimer timer,
      PassageScanner passages) {
    this(es, embeddings, alias, mode, threshold, timer, passages, RerankerConfig.OFF, OpenTelemetry.noop().getMeter("noop"));
  }

  /**
   * @param reranker re-orders the top of the fused passages when enabled ({@link RerankingRetriever});
   *     its calls are counted on {@code meter}
   */
  public ElasticsearchRetrievalActivitiesImpl(
      ElasticsearchClient es,
      EmbeddingModel embeddings,
      String alias,
      HybridRetriever.Mode mode,
      double threshold,
      StageTimer timer,
      PassageScanner passages,
      RerankerConfig reranker,
      Meter meter) {
    this.retriever =
        new RerankingRetriever(new HybridRetriever(es, embeddings, alias)::search, reranker.create(), reranker.topN(), meter);
    this.mode = mode;
    this.threshold = threshold;
    this.timer = timer;
    this.passages = passages;
  }

  @Override
  public RetrievalResult retrieve(RetrievalRequest request) {
    if (request.query() == null || request.query().isBlank()) {
      throw FailureType.INVALID_REQUEST.failure("query must not be empty");
    }
    int k = Math.max(1, Math.min(MAX_TOP_K, request.topK()));
    var timed = timer.time("retrieval", () -> search(request, k));
    RetrievalResult r = timed.value();
    return new RetrievalResult(
        r.passages(), r.relevant(), r.kbVersion(), timed.durationMs(), r.bestScore(), timed.endedAtMs());
  }

  private RetrievalResult search(RetrievalRequest request, int k) {
    try {
      HybridRetriever.Result r = retriever.search(request.query(), request.context(), k, mode);
      List<Passage> kept = passages.filter(r.passages()).kept();
      boolean relevant = !kept.isEmpty() && r.bestVectorScore() >= threshold;
      return new RetrievalResult(kept, relevant, r.kbVersion(), 0, r.bestVectorScore());
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        throw FailureType.KNOWLEDGE_BASE_MISSING.failure("the knowledge base has not been ingested yet");
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
