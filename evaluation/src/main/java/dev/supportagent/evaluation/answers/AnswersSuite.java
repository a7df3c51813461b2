package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Corpora;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.metrics.Bootstrap;
import dev.supportagent.evaluation.metrics.Stats;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.supportagent.activities.embedding.TurnEmbeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.activities.retrieval.ElasticsearchRetrievalActivitiesImpl;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.activities.telemetry.StageTimer;
import io.opentelemetry.api.OpenTelemetry;
import java.util.LinkedHashMap;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code answers --corpus DIR --questions F [--corpus DIR --questions F]...}: scores the agent's
 * replies ({@link AnswerScorer}, {@link AnswersMetrics}) on each corpus and question file, and
 * their mean over the corpora.
 *
 * <p>Through the running stack (the default): makes its knowledge base the corpus (an upload as a
 * full rebuild through the admin API, unless {@code --no-ingest}), asks every question in a
 * conversation of its own that imports the row's {@code history}, and puts the knowledge base back
 * from {@code --restore DIR} when given. With {@code --in-process}: indexes each corpus into an
 * Elasticsearch index of its own and runs the turn in this process ({@link InProcessTurns}: input
 * guard, retrieval, answerers, output filter; no Temporal, no API), scoring the offline answerer
 * and the {@link NaiveAnswerer} baseline side by side on the same passages.
 *
 * <p>With one corpus the top level holds its figures as DESIGN.md's metric keys (in process, the
 * offline answerer's, every answerer's under {@code answerers}); {@code by_corpus} holds each
 * corpus's and {@code mean} their mean. Figures, rows and reports are written to {@code --out}.
 */
public final class AnswersSuite {

  static final int DEFAULT_CONCURRENCY = 2;
  static final int DEFAULT_RESAMPLES = 1_000;
  static final String OFFLINE = "offline";
  static final List<String> MEAN_KEYS =
      List.of("accuracy", "answer_f1", "semantic_similarity", "groundedness", "citation_precision", "citation_recall");

  /** A corpus and its question file. */
  private final List<Corpora.Corpus> pairs;
  private final Path out;
  private final Path restore;
  private final boolean ingest;
  private final int concurrency;
  private final int limit;
  private final Bootstrap bootstrap;
  private final SupportApi api;
  private final Supplier<EmbeddingModel> embeddings;
  private final boolean inProcess;
  private final String elasticsearchUrl;
  private final Map<String, OfflineAnswerer.Weights> offlineVariants;

  AnswersSuite(List<Corpora.Corpus> pairs, Path out, Path restore, boolean ingest, int concurrency, int limit,
      Bootstrap bootstrap, SupportApi api, Supplier<EmbeddingModel> embeddings, boolean inProcess,
      String elasticsearchUrl, Map<String, OfflineAnswerer.Weights> offlineVariants) {
    this.pairs = pairs;
    this.out = out;
    this.restore = restore;
    this.ingest = ingest;
    this.concurrency = concurrency;
    this.limit = limit;
    this.bootstrap = bootstrap;
    this.api = api;
    this.embeddings = embeddings;
    this.inProcess = inProcess;
    this.elasticsearchUrl = elasticsearchUrl;
    this.offlineVariants = offlineVariants;
  }

  public static AnswersSuite fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args,
        Set.of("--corpus", "--questions", "--out", "--restore", "--concurrency", "--seed", "--resamples", "--limit",
            "--offline-weights"),
        Set.of("--no-ingest", "--in-process"));
    List<Corpora.Corpus> pairs = Corpora.parse(o, "answers");
    boolean inProcess = o.flag("--in-process");
    Map<String, OfflineAnswerer.Weights> variants = new LinkedHashMap<>();
    for (String spec : o.all("--offline-weights")) {
      try {
        variants.put(OFFLINE + ":" + spec, OfflineAnswerer.Weights.parse(spec));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--offline-weights: " + e.getMessage());
      }
    }
    if (!variants.isEmpty() && !inProcess) {
      throw new UsageException("--offline-weights needs --in-process");
    }
    Path restore = o.path("--restore", null);
    if (restore != null && !Files.isDirectory(restore)) {
      throw new UsageException("--restore folder not found: " + restore);
    }
    boolean ingest = !o.flag("--no-ingest");
    SupportApi api = null;
    if (!inProcess) {
      String customerKey = env.get("CUSTOMER_APP_KEY");
      if (customerKey == null || customerKey.isBlank()) {
        throw new UsageException("CUSTOMER_APP_KEY is not set (deploy/local/eval sets it from .local/keys.env)");
      }
      String adminKey = env.get("ADMIN_KEY");
      if ((ingest || restore != null) && (adminKey == null || adminKey.isBlank())) {
        throw new UsageException("ADMIN_KEY is not set: ingesting the corpus and --restore need it (or --no-ingest)");
      }
      if (!ingest && pairs.size() > 1) {
        throw new UsageException("several corpora need ingesting: --no-ingest takes one --corpus");
      }
      URI url;
      try {
        url = URI.create(env.getOrDefault("SUPPORT_API_URL", "http://127.0.0.1:7070"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("SUPPORT_API_URL is not a URL: " + e.getMessage());
      }
      api = new SupportApi(url, customerKey, adminKey);
    }
    Path out = o.path("--out",
        Path.of("target", "answers-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    return new AnswersSuite(pairs, out, restore, ingest,
        o.integer("--concurrency", DEFAULT_CONCURRENCY, 1), o.integer("--limit", Integer.MAX_VALUE, 1),
        new Bootstrap(o.integer("--resamples", DEFAULT_RESAMPLES, 100), o.integer("--seed", (int) Bootstrap.DEFAULT_SEED, 0)),
        api, AnswersSuite::loadEmbeddingModel, inProcess,
        env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"), variants);
  }

  private static EmbeddingModel loadEmbeddingModel() {
    return Embeddings.documents();
  }

  public ObjectNode run() throws IOException, InterruptedException {
    Supplier<EmbeddingModel> scoring = memoised(embeddings);
    Map<String, ObjectNode> byCorpus = new LinkedHashMap<>();
    String restoreFailure = null;
    if (inProcess) {
      runInProcess(scoring, byCorpus);
    } else {
      try {
        for (Corpora.Corpus pair : pairs) {
          Path dir = pairs.size() == 1 ? out : out.resolve(pair.name());
          byCorpus.put(pair.name(), runThroughApi(pair, dir, scoring));
        }
      } finally {
        // once, after every corpus, whatever happened
        if (restore != null) {
          try {
            api.replaceKnowledgeBase(restore);
          } catch (IOException e) {
            restoreFailure = e.getMessage();
            System.err.println("could not restore the knowledge base from " + restore + ": " + e.getMessage());
          }
        }
      }
    }
    ObjectNode result;
    if (byCorpus.size() == 1) {
      result = byCorpus.values().iterator().next().deepCopy();
    } else {
      result = JsonNodeFactory.instance.objectNode();
      result.put("suite", "answers");
      result.put("n", byCorpus.values().stream().mapToInt(m -> m.path("n").asInt()).sum());
      result.put("corpora", byCorpus.size());
    }
    if (restore != null && !inProcess) {
      result.put("restored", restoreFailure == null ? restore.toString() : null);
      if (restoreFailure != null) {
        result.put("restore_failed", restoreFailure);
      }
    }
    ObjectNode corpora = result.putObject("by_corpus");
    byCorpus.forEach(corpora::set);
    result.set("mean", mean(byCorpus.values()));
    result.put("out", out.toString());
    Files.createDirectories(out);
    Files.writeString(out.resolve("metrics.json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    return result;
  }

  /**
   * The mean over corpora of each corpus's headline figures (DESIGN.md keys), and in process of
   * each answerer's under {@code answerers}: every corpus weighs the same, whatever its size.
   */
  static ObjectNode mean(java.util.Collection<ObjectNode> corpora) {
    ObjectNode mean = meanOf(corpora.stream().map(c -> (JsonNode) c).toList());
    Set<String> names = new java.util.LinkedHashSet<>();
    corpora.forEach(c -> c.path("answerers").fieldNames().forEachRemaining(names::add));
    if (!names.isEmpty()) {
      ObjectNode answerers = mean.putObject("answerers");
      for (String name : names) {
        answerers.set(name, meanOf(corpora.stream().map(c -> c.path("answerers").path(name)).toList()));
      }
    }
    return mean;
  }

  private static ObjectNode meanOf(List<JsonNode> nodes) {
    ObjectNode mean = JsonNodeFactory.instance.objectNode();
    mean.put("corpora", nodes.size());
    List<String> keys = new ArrayList<>(MEAN_KEYS);
    keys.add("answerer_ms.mean");
    for (String key : keys) {
      List<Double> values = new ArrayList<>();
      for (JsonNode n : nodes) {
        JsonNode v = n;
        for (String part : key.split("\\.")) {
          v = v.path(part);
        }
        if (v.isNumber()) {
          values.add(v.asDouble());
        }
      }
      if (!values.isEmpty()) {
        mean.put(key.replace(".", "_"), Stats.round(Stats.mean(values), 4));
      }
    }
    return mean;
  }

  private ObjectNode runThroughApi(Corpora.Corpus pair, Path dir, Supplier<EmbeddingModel> model)
      throws IOException, InterruptedException {
    List<Question> rows = limited(read(pair.questions()));
    warnAboutMissingGold(pair.folder(), rows);
    List<JsonNode> ingested = List.of();
    if (ingest) {
      ingested = api.replaceKnowledgeBase(pair.folder());
    }
    List<AnswerScorer.Outcome> outcomes = ask(rows);
    if (outcomes.stream().allMatch(x -> x.reply() == null)) {
      throw new IOException("no question got a reply; the first error: " + outcomes.get(0).error());
    }

    AnswerScorer scorer = new AnswerScorer(pair.folder(), model);
    List<AnswerRow> scored = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      scored.add(scorer.score(rows.get(i), outcomes.get(i)));
    }
    ObjectNode metrics = AnswersMetrics.summarise(scored, bootstrap);
    Set<String> outside = scorer.citationsOutsideCorpus();
    metrics.put("citations_outside_corpus", outside.size());
    if (!outside.isEmpty()) {
      System.err.println(outside.size() + " cited document(s) are not in " + pair.folder() + ", e.g. "
          + outside.stream().sorted().limit(5).toList() + ": did the stack answer from another knowledge base?");
    }
    if (!ingested.isEmpty()) {
      ObjectNode node = metrics.putObject("ingest");
      node.put("documents", ingested.stream().mapToInt(p -> p.path("done").asInt() + p.path("skipped").asInt()).sum());
      node.put("failed", ingested.stream().mapToInt(p -> p.path("failed").asInt()).sum());
      node.put("chunks", ingested.stream().mapToLong(p -> p.path("chunks").asLong()).sum());
      node.put("index", ingested.get(0).path("index").asText());
    }
    metrics.put("questions", pair.questions().toString());
    metrics.put("corpus", pair.folder().toString());
    metrics.put("out", dir.toString());
    AnswersReport.write(dir, pair.questions().getFileName() + " on " + pair.folder(), metrics, scored);
    System.err.println("wrote " + dir.resolve("report.html"));
    return metrics;
  }

  /**
   * Every corpus in its own index ({@code eval-ans-*}, removed after; kept and reused between runs
   * with {@code SUPPORT_EVAL_KEEP_INDEX=1}), the turn run in process for each answerer.
   */
  private void runInProcess(Supplier<EmbeddingModel> scoring, Map<String, ObjectNode> byCorpus) throws IOException {
    boolean keep = "1".equals(System.getenv("SUPPORT_EVAL_KEEP_INDEX"));
    EmbeddingModel documents = scoring.get();
    // the worker's split: the quantized model on the turn's path, its last vectors remembered
    EmbeddingModel turn = new TurnEmbeddings(Embeddings.queries());
    InputGuard guard = InputGuard.builder(InputGuardConfig.defaults()).embeddingModel(turn).build();
    Map<String, InProcessTurns.Answerer> answerers = new LinkedHashMap<>();
    OfflineAnswerer offline = new OfflineAnswerer(turn);
    answerers.put(OFFLINE, offline::answer);
    answerers.put(NaiveAnswerer.NAME, new NaiveAnswerer(turn));
    offlineVariants.forEach((name, weights) -> answerers.put(name, offline.withWeights(weights)::answer));
    StageTimer timer = new StageTimer(OpenTelemetry.noop());
    try (ElasticsearchClient es = ElasticsearchClients.create(elasticsearchUrl)) {
      for (Corpora.Corpus pair : pairs) {
        List<Question> rows = limited(read(pair.questions()));
        warnAboutMissingGold(pair.folder(), rows);
        String alias = "eval-ans-" + (keep
            ? Integer.toHexString(pair.folder().toAbsolutePath().normalize().toString().hashCode())
            : UUID.randomUUID().toString().substring(0, 8));
        KnowledgeBaseIndexer indexer = new KnowledgeBaseIndexer(es, documents, new MarkdownChunker(), alias);
        System.err.println("indexing " + pair.folder() + " into " + alias + " ...");
        long started = System.nanoTime();
        KnowledgeBaseIndexer.Report report = indexer.ingest(pair.folder());
        System.err.printf("indexed %d documents as %d chunks in %.1f s%n",
            report.documents(), report.chunks(), (System.nanoTime() - started) / 1e9);
        try {
          InProcessTurns turns = new InProcessTurns(guard,
              new ElasticsearchRetrievalActivitiesImpl(es, turn, alias, HybridRetriever.Mode.HYBRID_CONTEXT,
                  ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD, timer),
              answerers);
          Map<String, List<AnswerScorer.Outcome>> outcomes = new LinkedHashMap<>();
          Map<String, List<Double>> answerMs = new LinkedHashMap<>();
          answerers.keySet().forEach(n -> {
            outcomes.put(n, new ArrayList<>());
            answerMs.put(n, new ArrayList<>());
          });
          for (int i = 0; i < rows.size(); i++) {
            InProcessTurns.Turn t = turns.run(rows.get(i));
            t.outcomes().forEach((n, o) -> outcomes.get(n).add(o));
            t.answerMs().forEach((n, ms) -> answerMs.get(n).add(ms));
            if ((i + 1) % 100 == 0 || i + 1 == rows.size()) {
              System.err.printf("%s: %d of %d questions%n", pair.name(), i + 1, rows.size());
            }
          }
          AnswerScorer scorer = new AnswerScorer(pair.folder(), scoring);
          ObjectNode perAnswerer = JsonNodeFactory.instance.objectNode();
          for (String name : answerers.keySet()) {
            List<AnswerRow> scored = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
              scored.add(scorer.score(rows.get(i), outcomes.get(name).get(i)));
            }
            ObjectNode m = AnswersMetrics.summarise(scored, bootstrap);
            m.put("answerer", name);
            ObjectNode ms = Stats.latency(answerMs.get(name));
            ms.put("mean", Stats.round(Stats.mean(answerMs.get(name)), 3));
            m.set("answerer_ms", ms);
            m.put("headings_only_replies", headingsOnly(scored));
            Path dir = out.resolve(pair.name()).resolve(name.replaceAll("[^A-Za-z0-9=.,-]+", "_"));
            AnswersReport.write(dir, pair.questions().getFileName() + " on " + pair.folder() + " (" + name + ")",
                m, scored);
            perAnswerer.set(name, m);
          }
          ObjectNode metrics = ((ObjectNode) perAnswerer.get(OFFLINE)).deepCopy();
          metrics.put("mode", "in-process");
          metrics.put("questions", pair.questions().toString());
          metrics.put("corpus", pair.folder().toString());
          metrics.put("documents", report.documents());
          metrics.put("chunks", report.chunks());
          metrics.set("answerers", perAnswerer);
          byCorpus.put(pair.name(), metrics);
        } finally {
          if (!keep) {
            es.indices().delete(d -> d.index(report.index()));
          } else {
            System.err.println("kept the index " + report.index());
          }
        }
      }
    }
  }

  /** Answered replies none of whose sentences is informative: headings, labels, fragments. */
  private static int headingsOnly(List<AnswerRow> rows) {
    int n = 0;
    for (AnswerRow r : rows) {
      if (r.behaviour() != Behaviour.ANSWER || r.reply() == null || r.reply().isBlank()) {
        continue;
      }
      // each sentence of an extractive reply ends with its marker
      boolean informative = false;
      for (String sentence : r.reply().split("\\s*\\[\\d+]\\s*")) {
        informative |= OfflineAnswerer.informative(sentence);
      }
      if (!informative) {
        n++;
      }
    }
    return n;
  }

  private List<Question> limited(List<Question> rows) {
    return rows.size() > limit ? rows.subList(0, limit) : rows;
  }

  /** The question file, every row with a known {@code expect} and a unique id. */
  static List<Question> read(Path file) {
    List<Question> rows = QuestionFile.read(file);
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Question q : rows) {
      if (q.expect() == null || !Behaviour.EXPECTED.contains(q.expect())) {
        problems.add(file + ":" + q.line() + ": expect must be one of " + String.join(", ", Behaviour.EXPECTED)
            + ", got " + (q.expect() == null ? "nothing" : "'" + q.expect() + "'"));
      }
      if (!ids.add(q.id())) {
        problems.add(file + ":" + q.line() + ": id '" + q.id() + "' is used twice");
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(problems.size() + " unreadable row(s):\n  "
          + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
    }
    return rows;
  }

  private static void warnAboutMissingGold(Path corpus, List<Question> rows) {
    Set<String> missing = new java.util.TreeSet<>();
    Path root = corpus.toAbsolutePath().normalize();
    for (Question q : rows) {
      for (String id : q.docIds()) {
        if (!Files.isRegularFile(root.resolve(id).normalize())) {
          missing.add(id);
        }
      }
    }
    if (!missing.isEmpty()) {
      System.err.println(missing.size() + " doc_ids name no file of " + corpus + ", e.g. "
          + missing.stream().limit(5).toList());
    }
  }

  /** Asks every question, {@code concurrency} at a time; the outcomes in the questions' order. */
  private List<AnswerScorer.Outcome> ask(List<Question> rows) throws InterruptedException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<AnswerScorer.Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        Question q = rows.get(i);
        // one end user per question, as the API's per-end-user limits expect
        String customer = "eval-" + run + "-" + i;
        futures.add(pool.submit(() -> {
          AnswerScorer.Outcome outcome = askOne(customer, q);
          int n = done.incrementAndGet();
          if (n % 25 == 0 || n == rows.size()) {
            System.err.printf("asked %d of %d questions%n", n, rows.size());
          }
          return outcome;
        }));
      }
      List<AnswerScorer.Outcome> outcomes = new ArrayList<>();
      for (Future<AnswerScorer.Outcome> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (ExecutionException e) {
          outcomes.add(AnswerScorer.Outcome.failed(String.valueOf(e.getCause())));
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private AnswerScorer.Outcome askOne(String customer, Question q) throws InterruptedException {
    String conversation = null;
    try {
      conversation = api.start(customer, q.history());
      SupportApi.Timed timed = api.ask(customer, conversation, q.question());
      return new AnswerScorer.Outcome(Reply.fromJson(timed.reply()), timed.ms(), null);
    } catch (IOException e) {
      System.err.println(q.id() + ": " + e.getMessage());
      return AnswerScorer.Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      if (conversation != null) {
        api.close(customer, conversation);
      }
    }
  }

  private static <T> Supplier<T> memoised(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
