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
import dev.supportagent.evaluation.dataset.Corpora;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.metrics.RankingMetrics;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.retrieval.Passage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code retrieval --corpus DIR --questions F [--corpus DIR --questions F]... [--mode M]... [--ablate]}:
 * ingests each corpus into a fresh index of its own, asks every question that has gold documents
 * (with its history as context), reports recall at 1, 3, 5 and 10, MRR and latency per mode, and
 * removes the index. The default modes are {@code hybrid-context} and the {@code plain} baseline
 * beside it; {@code --ablate} also runs the first mode with each of its signals switched off in
 * turn. With several corpora, each is reported under {@code by_corpus} and the top level holds
 * their mean.
 */
public final class RetrievalSuite {

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  static final int DEPTH = HybridRetriever.CANDIDATES_FOR_EVALUATION;
  static final List<String> RANKING_KEYS =
      List.of("recall_at_1", "recall_at_3", "recall_at_5", "recall_at_10", "mrr");

  private final List<Corpora.Corpus> corpora;
  private final List<HybridRetriever.Mode> modes;
  private final boolean ablate;
  private final String elasticsearchUrl;
  private final Path misses;
  private final String reuseIndex;
  private final Path dump;

  RetrievalSuite(List<Corpora.Corpus> corpora, List<HybridRetriever.Mode> modes, boolean ablate,
      String elasticsearchUrl, Path misses, String reuseIndex, Path dump) {
    this.corpora = corpora;
    this.modes = modes;
    this.ablate = ablate;
    this.elasticsearchUrl = elasticsearchUrl;
    this.misses = misses;
    this.reuseIndex = reuseIndex;
    this.dump = dump;
  }

  public static RetrievalSuite fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(args, Set.of("--corpus", "--questions", "--mode", "--misses", "--reuse-index", "--dump"),
            Set.of("--ablate"));
    List<Corpora.Corpus> corpora = Corpora.parse(options, "retrieval");
    List<HybridRetriever.Mode> modes = new ArrayList<>();
    for (String mode : options.all("--mode")) {
      try {
        HybridRetriever.Mode m = HybridRetriever.Mode.parse(mode);
        if (!modes.contains(m)) {
          modes.add(m);
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (modes.isEmpty()) {
      modes.add(HybridRetriever.Mode.HYBRID_CONTEXT);
      modes.add(HybridRetriever.Mode.PLAIN);
    }
    String reuse = options.string("--reuse-index", null);
    if ((reuse != null || options.path("--dump", null) != null || options.path("--misses", null) != null)
        && corpora.size() > 1) {
      throw new UsageException("--reuse-index, --dump and --misses take one corpus");
    }
    return new RetrievalSuite(
        corpora, modes, options.flag("--ablate"), env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
        options.path("--misses", null), reuse, options.path("--dump", null));
  }

  public ObjectNode run() throws Exception {
    List<List<Question>> questions = new ArrayList<>();
    for (Corpora.Corpus corpus : corpora) {
      List<Question> rows = QuestionFile.read(corpus.questions());
      if (rows.stream().noneMatch(q -> !q.docIds().isEmpty())) {
        throw new UsageException("no question in " + corpus.questions() + " has doc_ids");
      }
      questions.add(rows);
    }
    EmbeddingModel documents = Embeddings.documents();
    EmbeddingModel queries = Embeddings.queries();
    ObjectNode byCorpus = JsonNodeFactory.instance.objectNode();
    try (ElasticsearchClient es = ElasticsearchClients.create(elasticsearchUrl)) {
      for (int i = 0; i < corpora.size(); i++) {
        byCorpus.set(corpora.get(i).name(), runOne(es, documents, queries, corpora.get(i), questions.get(i)));
      }
    }
    if (corpora.size() == 1) {
      return (ObjectNode) byCorpus.get(corpora.get(0).name());
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode mean = mean(byCorpus);
    out.setAll((ObjectNode) mean.get(modes.get(0).label()));
    out.put("mode", modes.get(0).label());
    out.put("corpora", corpora.size());
    out.set("mean", mean);
    out.set("by_corpus", byCorpus);
    return out;
  }

  /** The mean over the corpora of each mode's and each ablation's ranking figures. */
  private ObjectNode mean(ObjectNode byCorpus) {
    ObjectNode mean = JsonNodeFactory.instance.objectNode();
    List<String> labels = new ArrayList<>();
    modes.forEach(m -> labels.add(m.label()));
    for (String label : labels) {
      ObjectNode node = mean.putObject(label);
      for (String key : RANKING_KEYS) {
        List<Double> values = new ArrayList<>();
        byCorpus.forEach(c -> values.add(figures(c, label).path(key).asDouble()));
        node.put(key, Stats.round(Stats.mean(values), 4));
      }
    }
    return mean;
  }

  private static com.fasterxml.jackson.databind.JsonNode figures(com.fasterxml.jackson.databind.JsonNode corpus, String mode) {
    return corpus.has("by_mode") ? corpus.path("by_mode").path(mode) : corpus;
  }

  private ObjectNode runOne(ElasticsearchClient es, EmbeddingModel documents, EmbeddingModel queries,
      Corpora.Corpus corpus, List<Question> all) throws Exception {
    List<Question> rows = all.stream().filter(q -> !q.docIds().isEmpty()).toList();
    List<Question> declines = all.stream().filter(q -> "decline".equals(q.expect())).toList();
    String alias = "eval-" + UUID.randomUUID().toString().substring(0, 8);
    KnowledgeBaseIndexer.Report report;
    if (reuseIndex != null) {
      // development aid: rank against an index kept by an earlier run (--reuse-index ALIAS)
      alias = reuseIndex;
      report = new KnowledgeBaseIndexer.Report("reused", null, 0, 0, true);
    } else {
      KnowledgeBaseIndexer indexer = new KnowledgeBaseIndexer(es, documents, new MarkdownChunker(), alias);
      System.err.println("ingesting " + corpus.folder() + " into " + alias + " ...");
      long start = System.nanoTime();
      report = indexer.ingest(corpus.folder());
      System.err.printf("indexed %d documents as %d chunks in %.1f s%n",
          report.documents(), report.chunks(), (System.nanoTime() - start) / 1e9);
    }
    try {
      HybridRetriever retriever = new HybridRetriever(es, queries, alias);
      if (dump != null) {
        dump(retriever, rows, declines, dump);
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      ObjectNode byMode = JsonNodeFactory.instance.objectNode();
      for (HybridRetriever.Mode mode : modes) {
        byMode.set(mode.label(),
            evaluate(retriever, rows, mode.signals(), mode == modes.get(0) ? misses : null));
      }
      // the first mode's figures at the top level, as DESIGN.md's metric keys
      ObjectNode first = (ObjectNode) byMode.get(modes.get(0).label());
      out.setAll(first);
      out.put("mode", modes.get(0).label());
      out.put("documents", report.documents());
      out.put("chunks", report.chunks());
      if (modes.size() > 1) {
        out.set("by_mode", byMode);
      }
      if (ablate) {
        out.set("ablation", ablation(retriever, rows, modes.get(0), first));
      }
      if (!declines.isEmpty() && modes.get(0).signals().contains(HybridRetriever.Signal.KNN)) {
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

  /**
   * The mode with each of its signals switched off in turn ({@code without-SIGNAL}): its figures
   * and their change against the whole mode ({@code delta}, negative where the signal helped).
   */
  private static ObjectNode ablation(
      HybridRetriever retriever, List<Question> rows, HybridRetriever.Mode mode, ObjectNode whole) throws Exception {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (HybridRetriever.Signal signal : mode.signals()) {
      Set<HybridRetriever.Signal> without = EnumSet.copyOf(mode.signals());
      without.remove(signal);
      if (!without.contains(HybridRetriever.Signal.KNN) && !without.contains(HybridRetriever.Signal.BM25)) {
        continue;
      }
      ObjectNode figures = evaluate(retriever, rows, without, null);
      ObjectNode delta = figures.putObject("delta");
      for (String key : RANKING_KEYS) {
        delta.put(key, Stats.round(figures.path(key).asDouble() - whole.path(key).asDouble(), 4));
      }
      out.set("without-" + signal.label(), figures);
    }
    return out;
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

  /** Development aid: every ranking of every question, unfused, one JSON line each. */
  private static void dump(HybridRetriever retriever, List<Question> rows, List<Question> declines, Path file)
      throws Exception {
    List<String> lines = new ArrayList<>();
    List<Question> all = new ArrayList<>(rows);
    all.addAll(declines);
    for (Question q : all) {
      HybridRetriever.Trace t = retriever.trace(q.question(), q.historyTexts());
      ObjectNode row = JsonNodeFactory.instance.objectNode();
      row.put("id", q.id());
      row.put("expect", q.expect());
      row.set("gold", MAPPER.valueToTree(q.docIds()));
      row.put("question", q.question());
      row.put("history_len", q.history().size());
      row.set("q_knn", lists(t.questionKnn()));
      row.set("q_bm25", lists(t.questionBm25()));
      row.set("x_knn", lists(t.contextKnn()));
      row.set("x_bm25", lists(t.contextBm25()));
      row.set("named_q", MAPPER.valueToTree(t.namedByQuestion()));
      row.set("named_h", MAPPER.valueToTree(t.namedEarlier()));
      row.set("named_knn", lists(t.namedKnn()));
      row.set("history", MAPPER.valueToTree(q.history()));
      lines.add(MAPPER.writeValueAsString(row));
    }
    Files.write(file, lines);
  }

  private static com.fasterxml.jackson.databind.node.ArrayNode lists(List<Passage> passages) {
    var a = JsonNodeFactory.instance.arrayNode();
    for (Passage p : passages) {
      var e = a.addArray();
      e.add(p.passageId());
      e.add(p.documentId());
      e.add(Stats.round(p.score(), 5));
    }
    return a;
  }

  private static ObjectNode evaluate(
      HybridRetriever retriever, List<Question> rows, Set<HybridRetriever.Signal> signals, Path missesFile)
      throws Exception {
    List<String> missLines = new ArrayList<>();
    List<Double> r1 = new ArrayList<>();
    List<Double> r3 = new ArrayList<>();
    List<Double> r5 = new ArrayList<>();
    List<Double> r10 = new ArrayList<>();
    List<Double> rr = new ArrayList<>();
    List<Double> latency = new ArrayList<>();
    for (Question q : rows) {
      long start = System.nanoTime();
      HybridRetriever.Result result = retriever.search(q.question(), q.historyTexts(), DEPTH, signals);
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
