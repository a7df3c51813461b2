package dev.supportagent.evaluation.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.model.cache.AnswerCacheSettings;
import dev.supportagent.activities.model.cache.CacheHit;
import dev.supportagent.activities.model.cache.CachedAnswer;
import dev.supportagent.activities.model.cache.ContrastGuard;
import dev.supportagent.activities.model.cache.InMemoryAnswerCache;
import dev.supportagent.activities.model.cache.QuestionNormalizer;
import dev.supportagent.activities.model.cache.VectorIndex;
import dev.supportagent.activities.model.cache.Vectors;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.metrics.Stats;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code cache [--pairs F] [--from T] [--to T] [--step S] [--max-wrong R] [--folds K] [--seed N]
 * [--margin M] [--bound N] [--errors F]} or {@code cache --threshold T|default [--pairs F]
 * [--max-wrong R] [--errors F]}: how the answer cache's semantic layer would do on labelled question
 * pairs. For each pair the first question is stored in an {@link InMemoryAnswerCache} (the
 * production code: normalisation, exact layer, embedding with all-MiniLM-L6-v2 in process, cosine)
 * and the second looked up, so a hit needs both the similarity and {@link ContrastGuard}. For
 * comparison, the same choice on the similarity alone. For each threshold of the grid: the hit rate on pairs with the same
 * answer and the wrong hits (hits on pairs whose answers differ), as a share of hits and of those
 * pairs; then the threshold chosen (the lowest from which on every higher one keeps wrong hits at or
 * below {@code --max-wrong} of hits), the same choice cross-validated by group, and the time a
 * lookup's scan takes at the cache's size bound. Needs no server.
 *
 * <p>With {@code --threshold} it chooses nothing: it measures one fixed threshold ({@code default}
 * is {@link AnswerCacheSettings#DEFAULT_SIMILARITY_THRESHOLD}, the deployed one), so that a set not
 * used for tuning tests the cache as deployed. Its {@code goal_met} is then whether the wrong share
 * of hits is at or below {@code --max-wrong}.
 */
public final class CacheSuite {

  static final double DEFAULT_FROM = 0.80;
  static final double DEFAULT_TO = 0.99;
  static final double DEFAULT_STEP = 0.005;
  static final double DEFAULT_MAX_WRONG = 0.01;
  static final int DEFAULT_FOLDS = 5;
  static final int DEFAULT_SEED = 7;
  /**
   * The margin the deployed default keeps above the threshold chosen on the first paraphrase set
   * (0.93 + 0.02 = 0.95); cross-validation also reports the choice plus this margin.
   */
  static final double DEFAULT_MARGIN = 0.02;
  /** The normal quantile of the 95 % intervals. */
  static final double Z95 = 1.959964;
  static final int WARM_UP_SCANS = 300;
  /** Noise added to copies of the set's embeddings to fill the index to its bound. */
  static final double NOISE = 0.6;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CachedAnswer ANSWER = new CachedAnswer("cached reply", List.of(), "eval", "eval");
  private static final String PROMPT = "eval";

  private final Path pairsFile;
  private final List<Double> grid;
  private final double maxWrong;
  private final int folds;
  private final long seed;
  private final int bound;
  private final Path errorsFile;
  private final double margin;
  /** The threshold to measure alone; null to choose one on the grid. */
  private final Double fixedThreshold;

  CacheSuite(
      Path pairsFile, List<Double> grid, double maxWrong, int folds, long seed, int bound, Path errorsFile,
      double margin, Double fixedThreshold) {
    this.pairsFile = pairsFile;
    this.margin = margin;
    this.fixedThreshold = fixedThreshold;
    this.grid = grid;
    this.maxWrong = maxWrong;
    this.folds = folds;
    this.seed = seed;
    this.bound = bound;
    this.errorsFile = errorsFile;
  }

  public static CacheSuite fromArgs(String[] args) {
    Options options =
        Options.parse(
            args,
            Set.of(
                "--pairs", "--from", "--to", "--step", "--max-wrong", "--folds", "--seed", "--margin", "--bound",
                "--errors", "--threshold"));
    Path pairs = options.path("--pairs", null);
    if (pairs != null && !Files.isRegularFile(pairs)) {
      throw new UsageException("paraphrase file not found: " + pairs);
    }
    double from = options.decimal("--from", DEFAULT_FROM, 0, 1);
    double to = options.decimal("--to", DEFAULT_TO, 0, 1);
    double step = options.decimal("--step", DEFAULT_STEP, 0.0001, 1);
    if (from > to) {
      throw new UsageException("--from must not be above --to");
    }
    List<Double> grid = ThresholdChoice.grid(from, to, step);
    if (grid.size() > 10_000) {
      throw new UsageException("the grid has " + grid.size() + " thresholds; use a larger --step");
    }
    int folds = options.integer("--folds", DEFAULT_FOLDS, 2);
    Path errors = options.path("--errors", null);
    if (errors != null && errors.toAbsolutePath().getParent() != null
        && !Files.isDirectory(errors.toAbsolutePath().getParent())) {
      throw new UsageException("folder of --errors not found: " + errors.toAbsolutePath().getParent());
    }
    Double fixed = null;
    String threshold = options.string("--threshold", null);
    if (threshold != null) {
      for (String sweepOnly : List.of("--from", "--to", "--step", "--folds", "--seed", "--margin", "--bound")) {
        if (options.string(sweepOnly, null) != null) {
          throw new UsageException(sweepOnly + " chooses or cross-validates a threshold; --threshold measures one");
        }
      }
      fixed =
          threshold.equals("default")
              ? AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD
              : options.decimal("--threshold", 0, 0.0001, 1);
    }
    return new CacheSuite(
        pairs,
        grid,
        options.decimal("--max-wrong", DEFAULT_MAX_WRONG, 0, 1),
        folds,
        options.integer("--seed", DEFAULT_SEED, 0),
        options.integer("--bound", AnswerCacheSettings.DEFAULT_MAX_ENTRIES, 1),
        errors,
        options.decimal("--margin", DEFAULT_MARGIN, 0, 1),
        fixed);
  }

  /** The threshold {@code --threshold} asked for; null when the suite chooses one. */
  Double fixedThreshold() {
    return fixedThreshold;
  }

  public ObjectNode run() throws Exception {
    List<ParaphrasePair> pairs = pairsFile == null ? ParaphraseFile.readBuiltIn() : ParaphraseFile.read(pairsFile);
    long groups = pairs.stream().map(ParaphrasePair::group).distinct().count();
    if (fixedThreshold == null && groups < folds) {
      throw new UsageException("--folds " + folds + " needs at least as many groups; the file has " + groups);
    }
    System.err.println("cache: " + pairs.size() + " pairs, embedding with all-MiniLM-L6-v2 ...");
    TimedEmbeddings embeddings = new TimedEmbeddings(Embeddings.queries());
    // a threshold just above 0: every lookup reports its best similarity, graded below
    InMemoryAnswerCache cache =
        new InMemoryAnswerCache(
            embeddings, OpenTelemetry.noop().getMeter("evaluation"),
            AnswerCacheSettings.DEFAULT.withSimilarityThreshold(Double.MIN_VALUE));
    List<ThresholdChoice.Outcome> outcomes = new ArrayList<>();
    List<ThresholdChoice.Outcome> cosineOnly = new ArrayList<>();
    int blockedPositives = 0;
    int blockedNegatives = 0;
    for (ParaphrasePair p : pairs) {
      String a = QuestionNormalizer.normalize(p.q());
      String b = QuestionNormalizer.normalize(p.q2());
      double cosine =
          Vectors.dot(Vectors.unit(embeddings.embed(a).content().vector()), Vectors.unit(embeddings.embed(b).content().vector()));
      cosineOnly.add(new ThresholdChoice.Outcome(p, a.equals(b), cosine));
      if (!a.equals(b) && ContrastGuard.contrast(a, b).isPresent()) {
        if (p.same()) {
          blockedPositives++;
        } else {
          blockedNegatives++;
        }
      }
      // each pair under a knowledge base version of its own: pairs never see each other's entries
      cache.store(p.q(), p.id(), PROMPT, ANSWER);
      Optional<CacheHit> hit = cache.find(p.q2(), p.id(), PROMPT);
      outcomes.add(
          new ThresholdChoice.Outcome(
              p,
              hit.map(h -> h.kind() == CacheHit.Kind.EXACT).orElse(false),
              hit.map(CacheHit::similarity).orElse(Double.NEGATIVE_INFINITY)));
    }

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("suite", "cache");
    out.put("pairs_file", pairsFile == null ? "built-in " + ParaphraseFile.BUILT_IN : pairsFile.toString());
    out.put("pairs", pairs.size());
    out.set("by_kind", kinds(pairs));
    out.put("groups", groups);
    out.put("max_wrong_share_of_hits", maxWrong);
    if (fixedThreshold != null) {
      return fixed(out, outcomes, cosineOnly, blockedPositives, blockedNegatives, embeddings);
    }
    ArrayNode rows = out.putArray("by_threshold");
    for (double t : grid) {
      rows.add(counts(ThresholdChoice.count(outcomes, t)));
    }
    Optional<Double> chosen = ThresholdChoice.choose(outcomes, grid, maxWrong);
    out.put("goal_met", chosen.isPresent());
    if (chosen.isPresent()) {
      ObjectNode c = counts(ThresholdChoice.count(outcomes, chosen.get()));
      c.set("hit_rate_by_kind", hitRateByKind(outcomes, chosen.get()));
      out.set("chosen", c);
    } else {
      out.putNull("chosen");
    }
    out.put("configured_threshold", AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD);
    ObjectNode guard = out.putObject("contrast_guard");
    guard.put("blocked_same_answer_pairs", blockedPositives);
    guard.put("blocked_different_answer_pairs", blockedNegatives);
    ObjectNode without = guard.putObject("similarity_alone");
    Optional<Double> chosenAlone = ThresholdChoice.choose(cosineOnly, grid, maxWrong);
    if (chosenAlone.isPresent()) {
      without.set("chosen", counts(ThresholdChoice.count(cosineOnly, chosenAlone.get())));
      ((ObjectNode) without.get("chosen")).set("hit_rate_by_kind", hitRateByKind(cosineOnly, chosenAlone.get()));
    } else {
      without.putNull("chosen");
    }
    if (chosen.isPresent()) {
      without.set("at_chosen_threshold", counts(ThresholdChoice.count(cosineOnly, chosen.get())));
    }
    ObjectNode configured = counts(ThresholdChoice.count(outcomes, AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD));
    out.set("at_configured_threshold", configured);

    List<ThresholdChoice.Fold> cv = ThresholdChoice.crossValidate(outcomes, grid, maxWrong, folds, seed);
    ObjectNode cross = out.putObject("cross_validation");
    cross.put("folds", folds);
    cross.put("seed", seed);
    cross.put("note", "threshold chosen on the other folds, measured on the held-out fold; folds are whole groups");
    ArrayNode foldRows = cross.putArray("by_fold");
    for (ThresholdChoice.Fold f : cv) {
      ObjectNode row = counts(f.heldOut());
      row.remove("threshold");
      row.put("fold", f.fold());
      if (f.threshold().isPresent()) {
        row.put("threshold", f.threshold().get());
      } else {
        row.putNull("threshold");
      }
      foldRows.add(row);
    }
    ObjectNode pooled = counts(ThresholdChoice.pooled(cv));
    pooled.remove("threshold");
    pooled.set("wrong_share_of_hits_wilson95", wilson(ThresholdChoice.pooled(cv)));
    cross.set("held_out", pooled);
    // the deployed procedure: the choice plus a margin, each fold's choice made without it
    List<ThresholdChoice.Fold> cvMargin = ThresholdChoice.crossValidate(outcomes, grid, maxWrong, folds, seed, margin);
    ObjectNode withMargin = cross.putObject("with_margin");
    withMargin.put("margin", margin);
    ArrayNode marginThresholds = withMargin.putArray("thresholds");
    cvMargin.forEach(f -> marginThresholds.add(f.threshold().orElse(Double.NaN)));
    ObjectNode pooledMargin = counts(ThresholdChoice.pooled(cvMargin));
    pooledMargin.remove("threshold");
    pooledMargin.set("wrong_share_of_hits_wilson95", wilson(ThresholdChoice.pooled(cvMargin)));
    withMargin.set("held_out", pooledMargin);

    out.set("embedding_ms", millis(embeddings.timesMs()));
    out.set("scan_at_bound", scanAtBound(embeddings.vectors()));
    ObjectNode machine = out.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    if (errorsFile != null) {
      writeErrors(outcomes, chosen.orElse(grid.get(grid.size() - 1)));
    }
    return out;
  }

  /** The report of {@code --threshold}: one threshold measured, nothing chosen. */
  private ObjectNode fixed(
      ObjectNode out, List<ThresholdChoice.Outcome> outcomes, List<ThresholdChoice.Outcome> cosineOnly,
      int blockedPositives, int blockedNegatives, TimedEmbeddings embeddings) throws Exception {
    double t = fixedThreshold;
    out.put("mode", "fixed_threshold");
    out.put("threshold", t);
    out.put("configured_threshold", AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD);
    out.set("at_threshold", atThreshold(outcomes, t));
    out.put("goal_met", ThresholdChoice.count(outcomes, t).wrongShareOfHits() <= maxWrong);
    ObjectNode guard = out.putObject("contrast_guard");
    guard.put("blocked_same_answer_pairs", blockedPositives);
    guard.put("blocked_different_answer_pairs", blockedNegatives);
    ThresholdChoice.Counts alone = ThresholdChoice.count(cosineOnly, t);
    ObjectNode aloneNode = counts(alone);
    aloneNode.put("hits", alone.hits());
    aloneNode.set("wrong_share_of_hits_wilson95", wilson(alone));
    guard.set("similarity_alone_at_threshold", aloneNode);
    out.set("embedding_ms", millis(embeddings.timesMs()));
    if (errorsFile != null) {
      writeErrors(outcomes, t);
    }
    return out;
  }

  /** What one threshold does: hits right and wrong, the wrong share with its interval, by kind. */
  static ObjectNode atThreshold(List<ThresholdChoice.Outcome> outcomes, double t) {
    ThresholdChoice.Counts c = ThresholdChoice.count(outcomes, t);
    ObjectNode at = counts(c);
    at.put("hits", c.hits());
    at.set("wrong_share_of_hits_wilson95", wilson(c));
    at.set("hit_rate_by_kind", hitRateByKind(outcomes, t));
    at.set("hits_by_kind", hitsByKind(outcomes, t));
    return at;
  }

  /** The 95 % Wilson interval of the wrong share of hits. */
  static ObjectNode wilson(ThresholdChoice.Counts c) {
    double[] ci = Stats.wilson(c.wrongHits(), c.hits(), Z95);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("low", Stats.round(ci[0], 4));
    node.put("high", Stats.round(ci[1], 4));
    return node;
  }

  private ObjectNode scanAtBound(List<float[]> real) {
    VectorIndex index = new VectorIndex();
    Random random = new Random(seed);
    for (int i = 0; i < bound; i++) {
      float[] v = i < real.size() ? real.get(i) : noisy(real.get(i % real.size()), random);
      index.put("q" + i, i, v);
    }
    double threshold = AnswerCacheSettings.DEFAULT_SIMILARITY_THRESHOLD;
    for (int i = 0; i < WARM_UP_SCANS; i++) {
      index.nearest(real.get(i % real.size()), threshold, 3);
    }
    List<Double> times = new ArrayList<>();
    for (float[] q : real) {
      long start = System.nanoTime();
      index.nearest(q, threshold, 3);
      times.add((System.nanoTime() - start) / 1e6);
    }
    ObjectNode node = millis(times);
    node.put("entries", index.size());
    node.put("dimensions", real.get(0).length);
    node.put("queries", times.size());
    return node;
  }

  private static float[] noisy(float[] v, Random random) {
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] + random.nextGaussian() * NOISE / Math.sqrt(v.length));
    }
    return Vectors.unit(out);
  }

  private static ObjectNode counts(ThresholdChoice.Counts c) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("threshold", c.threshold());
    row.put("positives", c.positives());
    row.put("right_hits", c.rightHits());
    row.put("hit_rate", Stats.round(c.hitRate(), 4));
    row.put("negatives", c.negatives());
    row.put("wrong_hits", c.wrongHits());
    row.put("wrong_share_of_hits", Stats.round(c.wrongShareOfHits(), 4));
    row.put("negatives_hit_share", Stats.round(c.negativesHitShare(), 4));
    row.put("hard_negatives", c.hardNegatives());
    row.put("hard_negative_hits", c.hardNegativeHits());
    row.put("exact_hits", c.exactHits());
    return row;
  }

  private static ObjectNode kinds(List<ParaphrasePair> pairs) {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (String k : List.of("surface", "close_paraphrase", "paraphrase", "hard_negative", "negative")) {
      n.put(k, 0);
    }
    pairs.forEach(p -> n.merge(p.kind(), 1, Integer::sum));
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    n.forEach(node::put);
    return node;
  }

  private static ObjectNode hitRateByKind(List<ThresholdChoice.Outcome> outcomes, double t) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (String kind : List.of("surface", "close_paraphrase", "paraphrase", "hard_negative", "negative")) {
      List<ThresholdChoice.Outcome> of = outcomes.stream().filter(o -> o.pair().kind().equals(kind)).toList();
      long hits = of.stream().filter(o -> o.hit(t)).count();
      node.put(kind, of.isEmpty() ? 0 : Stats.round(hits / (double) of.size(), 4));
    }
    return node;
  }

  private static ObjectNode hitsByKind(List<ThresholdChoice.Outcome> outcomes, double t) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (String kind : List.of("surface", "close_paraphrase", "paraphrase", "hard_negative", "negative")) {
      node.put(kind, outcomes.stream().filter(o -> o.pair().kind().equals(kind) && o.hit(t)).count());
    }
    return node;
  }

  private static ObjectNode millis(List<Double> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("p50", Stats.round(Stats.percentile(values, 0.50), 3));
    node.put("p95", Stats.round(Stats.percentile(values, 0.95), 3));
    node.put("max", Stats.round(Stats.percentile(values, 1.0), 3));
    return node;
  }

  /** The wrong hits and the missed paraphrases at {@code threshold}, most similar first. */
  private void writeErrors(List<ThresholdChoice.Outcome> outcomes, double threshold) throws Exception {
    List<String> lines = new ArrayList<>();
    outcomes.stream()
        .filter(o -> o.pair().same() != o.hit(threshold))
        .sorted((a, b) -> Double.compare(b.similarity(), a.similarity()))
        .forEach(o -> {
          ObjectNode row = JsonNodeFactory.instance.objectNode();
          row.put("id", o.pair().id());
          row.put("error", o.pair().same() ? "missed" : "wrong_hit");
          row.put("similarity", Stats.round(o.similarity(), 4));
          row.put("exact", o.exact());
          row.put("kind", o.pair().kind());
          row.put("q", o.pair().q());
          row.put("q2", o.pair().q2());
          try {
            lines.add(JSON.writeValueAsString(row));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Files.write(errorsFile, lines);
  }

  /** The embedding model, remembering each text's embedding and how long the first call took. */
  static final class TimedEmbeddings implements EmbeddingModel {
    private final EmbeddingModel model;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final List<Double> timesMs = new ArrayList<>();

    TimedEmbeddings(EmbeddingModel model) {
      this.model = model;
    }

    @Override
    public Response<Embedding> embed(String text) {
      float[] v = vectors.get(text);
      if (v == null) {
        long start = System.nanoTime();
        v = model.embed(text).content().vector();
        synchronized (timesMs) {
          timesMs.add((System.nanoTime() - start) / 1e6);
        }
        vectors.put(text, v);
      }
      return Response.from(Embedding.from(v));
    }

    @Override
    public Response<Embedding> embed(TextSegment segment) {
      return embed(segment.text());
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      return Response.from(segments.stream().map(s -> embed(s.text()).content()).toList());
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    List<Double> timesMs() {
      synchronized (timesMs) {
        // the first calls load and warm up the model
        return new ArrayList<>(timesMs.subList(Math.min(10, timesMs.size()), timesMs.size()));
      }
    }

    List<float[]> vectors() {
      return vectors.values().stream().map(Vectors::unit).toList();
    }
  }
}
