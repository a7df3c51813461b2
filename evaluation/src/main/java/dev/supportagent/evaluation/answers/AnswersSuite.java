package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.metrics.Bootstrap;
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
 * {@code answers --corpus DIR --questions F}: makes the running stack's knowledge base the corpus
 * (an upload as a full rebuild through the admin API, unless {@code --no-ingest}), asks every
 * question in a conversation of its own that imports the row's {@code history}, scores the
 * replies ({@link AnswerScorer}), and puts the knowledge base back from {@code --restore DIR}
 * when given. Prints the figures ({@link AnswersMetrics}) and writes them with the rows and the
 * reports ({@link AnswersReport}) to {@code --out}.
 */
public final class AnswersSuite {

  static final int DEFAULT_CONCURRENCY = 2;
  static final int DEFAULT_RESAMPLES = 1_000;

  private final Path corpus;
  private final Path questions;
  private final Path out;
  private final Path restore;
  private final boolean ingest;
  private final int concurrency;
  private final int limit;
  private final Bootstrap bootstrap;
  private final SupportApi api;
  private final Supplier<EmbeddingModel> embeddings;

  AnswersSuite(Path corpus, Path questions, Path out, Path restore, boolean ingest, int concurrency, int limit,
      Bootstrap bootstrap, SupportApi api, Supplier<EmbeddingModel> embeddings) {
    this.corpus = corpus;
    this.questions = questions;
    this.out = out;
    this.restore = restore;
    this.ingest = ingest;
    this.concurrency = concurrency;
    this.limit = limit;
    this.bootstrap = bootstrap;
    this.api = api;
    this.embeddings = embeddings;
  }

  public static AnswersSuite fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args,
        Set.of("--corpus", "--questions", "--out", "--restore", "--concurrency", "--seed", "--resamples", "--limit"),
        Set.of("--no-ingest"));
    Path corpus = o.path("--corpus", null);
    Path questions = o.path("--questions", null);
    if (corpus == null || questions == null) {
      throw new UsageException("answers needs --corpus DIR and --questions FILE");
    }
    if (!Files.isDirectory(corpus)) {
      throw new UsageException("corpus folder not found: " + corpus);
    }
    Path restore = o.path("--restore", null);
    if (restore != null && !Files.isDirectory(restore)) {
      throw new UsageException("--restore folder not found: " + restore);
    }
    boolean ingest = !o.flag("--no-ingest");
    String customerKey = env.get("CUSTOMER_APP_KEY");
    if (customerKey == null || customerKey.isBlank()) {
      throw new UsageException("CUSTOMER_APP_KEY is not set (deploy/local/eval sets it from .local/keys.env)");
    }
    String adminKey = env.get("ADMIN_KEY");
    if ((ingest || restore != null) && (adminKey == null || adminKey.isBlank())) {
      throw new UsageException("ADMIN_KEY is not set: ingesting the corpus and --restore need it (or --no-ingest)");
    }
    URI api;
    try {
      api = URI.create(env.getOrDefault("SUPPORT_API_URL", "http://127.0.0.1:7070"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("SUPPORT_API_URL is not a URL: " + e.getMessage());
    }
    Path out = o.path("--out",
        Path.of("target", "answers-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    return new AnswersSuite(corpus, questions, out, restore, ingest,
        o.integer("--concurrency", DEFAULT_CONCURRENCY, 1), o.integer("--limit", Integer.MAX_VALUE, 1),
        new Bootstrap(o.integer("--resamples", DEFAULT_RESAMPLES, 100), o.integer("--seed", (int) Bootstrap.DEFAULT_SEED, 0)),
        new SupportApi(api, customerKey, adminKey), AnswersSuite::loadEmbeddingModel);
  }

  private static EmbeddingModel loadEmbeddingModel() {
    return Embeddings.documents();
  }

  public ObjectNode run() throws IOException, InterruptedException {
    List<Question> rows = read(questions);
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
    }
    warnAboutMissingGold(rows);
    List<JsonNode> ingested = List.of();
    List<AnswerScorer.Outcome> outcomes;
    String restoreFailure = null;
    try {
      if (ingest) {
        ingested = api.replaceKnowledgeBase(corpus);
      }
      outcomes = ask(rows);
    } finally {
      if (restore != null) {
        try {
          api.replaceKnowledgeBase(restore);
        } catch (IOException e) {
          restoreFailure = e.getMessage();
          System.err.println("could not restore the knowledge base from " + restore + ": " + e.getMessage());
        }
      }
    }
    if (outcomes.stream().allMatch(x -> x.reply() == null)) {
      throw new IOException("no question got a reply; the first error: " + outcomes.get(0).error());
    }

    Supplier<EmbeddingModel> model = memoised(embeddings);
    AnswerScorer scorer = new AnswerScorer(corpus, model);
    List<AnswerRow> scored = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      scored.add(scorer.score(rows.get(i), outcomes.get(i)));
    }
    ObjectNode metrics = AnswersMetrics.summarise(scored, bootstrap);
    Set<String> outside = scorer.citationsOutsideCorpus();
    metrics.put("citations_outside_corpus", outside.size());
    if (!outside.isEmpty()) {
      System.err.println(outside.size() + " cited document(s) are not in " + corpus + ", e.g. "
          + outside.stream().sorted().limit(5).toList() + ": did the stack answer from another knowledge base?");
    }
    if (!ingested.isEmpty()) {
      ObjectNode node = metrics.putObject("ingest");
      node.put("documents", ingested.stream().mapToInt(p -> p.path("done").asInt() + p.path("skipped").asInt()).sum());
      node.put("failed", ingested.stream().mapToInt(p -> p.path("failed").asInt()).sum());
      node.put("chunks", ingested.stream().mapToLong(p -> p.path("chunks").asLong()).sum());
      node.put("index", ingested.get(0).path("index").asText());
    }
    if (restore != null) {
      metrics.put("restored", restoreFailure == null ? restore.toString() : null);
      if (restoreFailure != null) {
        metrics.put("restore_failed", restoreFailure);
      }
    }
    metrics.put("questions", questions.toString());
    metrics.put("corpus", corpus.toString());
    metrics.put("out", out.toString());
    AnswersReport.write(out, questions.getFileName() + " on " + corpus, metrics, scored);
    System.err.println("wrote " + out.resolve("report.html"));
    return metrics;
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

  private void warnAboutMissingGold(List<Question> rows) {
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
