package dev.supportagent.worker;

import dev.supportagent.activities.embedding.EmbeddingConfig;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.model.PromptSplit;
import dev.supportagent.activities.model.PromptTemplates;
import dev.supportagent.activities.model.TurnRouter;
import dev.supportagent.activities.model.cache.AnswerCacheSettings;
import dev.supportagent.activities.model.gateway.ModelGatewayConfig;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.activities.retrieval.rerank.RerankerConfig;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.workflows.EnvReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The worker's settings, from environment variables (README, Configuration). */
public record WorkerConfig(
    String temporalAddress,
    String temporalNamespace,
    String elasticsearchUrl,
    String redisUrl,
    String kbAlias,
    Path kbRoot,
    HybridRetriever.Mode retrievalMode,
    double relevanceThreshold,
    int port,
    int llmConcurrency,
    ModelGatewayConfig models,
    TurnRouter.Budgets budgets,
    PromptSplit prompts,
    URI escalationWebhook,
    AnswerCacheSettings answerCache,
    String turnLogAlias,
    int turnLogRetentionDays,
    EmbeddingConfig embeddings,
    RerankerConfig reranker) {

  public static WorkerConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    WorkerConfig config =
        new WorkerConfig(
            r.string("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
            r.string("TEMPORAL_NAMESPACE", "default"),
            r.url("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
            r.url("SUPPORT_REDIS_URL", "redis://127.0.0.1:6379"),
            r.string("SUPPORT_KB_ALIAS", KnowledgeBaseIndexer.DEFAULT_ALIAS),
            Path.of(r.string("SUPPORT_KB_ROOT", "deploy/local/sample-kb")),
            mode(r),
            r.fraction(
                "SUPPORT_RELEVANCE_THRESHOLD",
                ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD),
            r.port("SUPPORT_WORKER_PORT", 9464),
            (int) r.number("SUPPORT_LLM_CONCURRENCY", 20, 1, 1000),
            ModelGatewayConfig.read(r),
            new TurnRouter.Budgets(
                r.decimal("SUPPORT_BUDGET_CONVERSATION_USD", 0.50, 0, 1_000),
                r.decimal("SUPPORT_BUDGET_DAY_USD", 50, 0, 1_000_000)),
            prompts(r),
            webhook(r),
            answerCache(r),
            r.string("SUPPORT_TURN_LOG_ALIAS", ElasticsearchTurnLog.DEFAULT_ALIAS),
            (int) r.number("SUPPORT_TURN_LOG_RETENTION_DAYS", 90, 1, 3650),
            EmbeddingConfig.read(r),
            RerankerConfig.read(r));
    r.failOnProblems("worker");
    return config;
  }

  /** The answer cache's settings, or null when {@code SUPPORT_ANSWER_CACHE=off}. */
  private static AnswerCacheSettings answerCache(EnvReader r) {
    String on = r.string("SUPPORT_ANSWER_CACHE", "on").strip();
    if (!on.equals("on") && !on.equals("off")) {
      r.problem("SUPPORT_ANSWER_CACHE must be on or off, got '" + on + "'");
    }
    AnswerCacheSettings settings =
        AnswerCacheSettings.DEFAULT
            .withSimilarityThreshold(
                r.decimal("SUPPORT_ANSWER_CACHE_THRESHOLD", AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD, 0.5, 1.0))
            .withTtl(java.time.Duration.ofSeconds(
                r.number("SUPPORT_ANSWER_CACHE_TTL_SECONDS", AnswerCacheSettings.DEFAULT_TTL.toSeconds(), 60, 30L * 24 * 3600)));
    return on.equals("off") ? null : settings;
  }

  private static URI webhook(EnvReader r) {
    String url = r.url("SUPPORT_ESCALATION_WEBHOOK_URL", null);
    return url == null ? null : URI.create(url);
  }

  /** The prompt split, each version checked to have its template. */
  private static PromptSplit prompts(EnvReader r) {
    try {
      PromptSplit split = PromptSplit.parse(r.string("SUPPORT_PROMPT_VERSIONS", PromptTemplates.DEFAULT_VERSION));
      new PromptTemplates(split.versions());
      return split;
    } catch (IllegalArgumentException e) {
      r.problem("SUPPORT_PROMPT_VERSIONS: " + e.getMessage());
      return PromptSplit.parse(PromptTemplates.DEFAULT_VERSION);
    }
  }

  private static HybridRetriever.Mode mode(EnvReader r) {
    try {
      return HybridRetriever.Mode.parse(r.string("SUPPORT_RETRIEVAL_MODE", "hybrid-context"));
    } catch (IllegalArgumentException e) {
      r.problem("SUPPORT_RETRIEVAL_MODE: " + e.getMessage());
      return HybridRetriever.Mode.HYBRID_CONTEXT;
    }
  }
}
