package dev.supportagent.evaluation.retrieval;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.metrics.RankingMetrics;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.retrieval.Passage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code retrieval --corpus DIR --questions F [--mode M]...}: ingests the corpus into a fresh
 * index of its own, asks every question that has gold documents (with its history as context),
 * reports recall at 1, 3, 5 and 10, MRR and latency per mode, and removes the index.
 */
public final class RetrievalSuite {

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  static final int DEPTH = HybridRetriever.CANDIDATES_FOR_EVALUATION;

  private final Path corpus;
  private final Path questions;
  private final List<HybridRetriever.Mode> modes;
  private final String elasticsearchUrl;
  private final Path misses;
  private final String reuseIndex;

  RetrievalSuite(Path corpus, Path questions, List<HybridRetriever.Mode> modes, String elasticsearchUrl,
      Path misses, String reuseIndex) {
    this.corpus = corpus;
    this.questions = questions;
    this.modes = modes;
    this.elasticsearchUrl = elasticsearchUrl;
    this.misses = misses;
    this.reuseIndex = reuseIndex;
  }

  public static RetrievalSuite fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(args, Set.of("--corpus", "--questions", "--mode", "--misses", "--reuse-index"));
    Path corpus = options.path("--corpus", null);
    Path questions = options.path("--questions", null);
    if (corpus == null || questions == null) {
      throw new UsageException("retrieval needs --corpus DIR and --questions FILE");
    }
    if (!Files.isDirectory(corpus)) {
      throw new UsageException("corpus folder not found: " + corpus);
    }
    List<HybridRetriever.Mode> modes = new ArrayList<>();
    for (String mode : options.all("--mode")) {
      try {
        modes.add(HybridRetriever.Mode.parse(mode));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (modes.isEmpty()) {
      modes.add(HybridRetriever.Mode.HYBRID_CONTEXT);
    }
    return new RetrievalSuite(
        corpus, questions, modes, env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
        options.path("--misses", null), options.string("--reuse-index", null));
  }

  public ObjectNode run() throws Exception {
    List<Question> all = QuestionFile.read(questions);
    List<Question> rows = all.stream().filter(q -> !q.docIds().isEmpty()).toList();
    List<Question> declines = all.stream().filter(q -> "decline".equals(q.expect())).toList();
    if (rows.isEmpty()) {
      throw new UsageException("no question in " + questions + " has doc_ids");
    }
    String alias = "eval-" + UUID.randomUUID().toString().substring(0, 8);
    EmbeddingModel documents = Embeddings.documents();
    EmbeddingModel queries = Embeddings.queries();
    try (ElasticsearchClient es = ElasticsearchClients.create(elasticsearchUrl)) {
      KnowledgeBaseIndexer.Report report;
      if (reuseIndex != null) {
        // development aid: rank against an index kept by an earlier run (--reuse-index ALIAS)
        alias = reuseIndex;
        report = new KnowledgeBaseIndexer.Report("reused", null, 0, 0, true);
      } else {
        KnowledgeBaseIndexer indexer = new KnowledgeBaseIndexer(es, documents, new MarkdownChunker(), alias);
        System.err.println("ingesting " + corpus + " into " + alias + " ...");
        long start = System.nanoTime();
        report = indexer.ingest(corpus);
        System.err.printf("indexed %d documents as %d chunks in %.1f s%n",
            report.documents(), report.chunks(), (System.nanoTime() - start) / 1e9);
      }
      try {
        HybridRetriever retriever = new HybridRetriever(es, queries, alias);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode byMode = JsonNodeFactory.instance.objectNode();
        for (HybridRetriever.Mode mode : modes) {
          byMode.set(mode.label(), evaluate(retriever, rows, mode, mode == modes.get(0) ? misses : null));
        }
        // the first mode's figures at the top level, as DESIGN.md's metric keys
        out.setAll((ObjectNode) byMode.get(modes.get(0).label()));
        out.put("mode", modes.get(0).label());
        out.put("documents", report.documents());
        out.put("chunks", report.chunks());
        if (modes.size() > 1) {
          out.set("by_mode", byMode);
        }
        if (!declines.isEmpty() && modes.get(0) != HybridRetriever.Mode.BM25) {
          out.set("relevance", calibrate(retriever, rows, declines, modes.get(0)));
        }
        return out;
      } finally {
        if (reuseIndex == null && !"1".equals(System.getenv("SUPPORT_EVAL_KEEP_INDEX"))) {
          es.indices().delete(d -> d.index(report.index()));
        } else if (reuseIndex == null) {
          System.err.println("kept the index: --reuse-index " + alias);
        }
      }
    }
  }

  /**
   * How well the best kNN score separates questions the corpus answers from those it does not
   * ({@code expect: decline}): for each threshold, the share of answerable questions kept and of
   * unanswerable ones declined; {@code best} maximises their mean.
   */
  private static ObjectNode calibrate(
      HybridRetriever retriever, List<Question> answerable, List<Question> declines, HybridRetriever.Mode mode)
      throws Exception {
    List<Double> kept = bestScores(retriever, answerable, mode);
    List<Double> declined = bestScores(retriever, declines, mode);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("answerable", kept.size());
    node.put("unanswerable", declined.size());
    var grid = node.putArray("by_threshold");
    double bestThreshold = 0;
    double bestMean = -1;
    for (int t = 50; t <= 90; t++) {
      double threshold = t / 100.0;
      double keptShare = kept.stream().filter(v -> v >= threshold).count() / (double) kept.size();
      double declinedShare = declined.stream().filter(v -> v < threshold).count() / (double) declined.size();
      ObjectNode row = grid.addObject();
      row.put("threshold", threshold);
      row.put("answerable_kept", Stats.round(keptShare, 4));
      row.put("unanswerable_declined", Stats.round(declinedShare, 4));
      if ((keptShare + declinedShare) / 2 > bestMean) {
        bestMean = (keptShare + declinedShare) / 2;
        bestThreshold = threshold;
      }
    }
    node.put("best_threshold", bestThreshold);
    node.put("best_balanced_accuracy", Stats.round(bestMean, 4));
    return node;
  }

  private static List<Double> bestScores(HybridRetriever retriever, List<Question> rows, HybridRetriever.Mode mode)
      throws Exception {
    List<Double> scores = new ArrayList<>();
    for (Question q : rows) {
      scores.add(retriever.search(q.question(), q.historyTexts(), 1, mode).bestVectorScore());
    }
    return scores;
  }

  private static ObjectNode evaluate(
      HybridRetriever retriever, List<Question> rows, HybridRetriever.Mode mode, Path missesFile) throws Exception {
    List<String> missLines = new ArrayList<>();
    List<Double> r1 = new ArrayList<>();
    List<Double> r3 = new ArrayList<>();
    List<Double> r5 = new ArrayList<>();
    List<Double> r10 = new ArrayList<>();
    List<Double> rr = new ArrayList<>();
    List<Double> latency = new ArrayList<>();
    for (Question q : rows) {
      long start = System.nanoTime();
      HybridRetriever.Result result = retriever.search(q.question(), q.historyTexts(), DEPTH, mode);
      latency.add((System.nanoTime() - start) / 1e6);
      List<String> docs = RankingMetrics.distinct(result.passages().stream().map(Passage::documentId).toList());
      Set<String> gold = new HashSet<>(q.docIds());
      r1.add(RankingMetrics.recallAt(docs, gold, 1));
      r3.add(RankingMetrics.recallAt(docs, gold, 3));
      r5.add(RankingMetrics.recallAt(docs, gold, 5));
      r10.add(RankingMetrics.recallAt(docs, gold, 10));
      rr.add(RankingMetrics.reciprocalRank(docs, gold));
      if (missesFile != null && !gold.contains(docs.isEmpty() ? "" : docs.get(0))) {
        ObjectNode miss = JsonNodeFactory.instance.objectNode();
        miss.put("id", q.id());
        miss.put("question", q.question());
        miss.set("history", MAPPER.valueToTree(q.historyTexts()));
        miss.set("gold", MAPPER.valueToTree(q.docIds()));
        miss.set("top3", MAPPER.valueToTree(docs.subList(0, Math.min(3, docs.size()))));
        missLines.add(MAPPER.writeValueAsString(miss));
      }
    }
    if (missesFile != null) {
      Files.write(missesFile, missLines);
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("n", rows.size());
    node.put("recall_at_1", Stats.round(Stats.mean(r1), 4));
    node.put("recall_at_3", Stats.round(Stats.mean(r3), 4));
    node.put("recall_at_5", Stats.round(Stats.mean(r5), 4));
    node.put("recall_at_10", Stats.round(Stats.mean(r10), 4));
    node.put("mrr", Stats.round(Stats.mean(rr), 4));
    node.set("latency_ms", Stats.latency(latency));
    return node;
  }
}
