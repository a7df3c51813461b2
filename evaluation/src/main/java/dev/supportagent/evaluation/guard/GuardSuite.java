package dev.supportagent.evaluation.guard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.guard.AttackClassifier;
import dev.supportagent.activities.guard.GuardRules;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.guard.Mlp;
import dev.supportagent.activities.guard.Normaliser;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code guard --dataset F [--dataset F]... [--folds K] [--classifier FILE] [--misses N]}: runs the
 * input chain on every row of the datasets and reports DESIGN.md's guard metrics, overall and per
 * source. A row counts as blocked when the chain refuses it ({@link InputGuard#refused}): an
 * off-topic decline or a hand-over to a person is not a block.
 *
 * <p>By default the headline figures are <b>leave-one-source-out</b>: each source's rows are
 * scored by the two classifiers (injection and harmful) trained, thresholds included, on the
 * other sources alone ({@link GuardTrainer#trainPair}), so every figure is out-of-source. Beside
 * them: {@code cross_validation}, K-fold cross-validation ({@code --folds K}, default 5, folds
 * stratified by source and label; each fold scored by classifiers trained on the other K-1), and
 * {@code shipped}, the shipped classifiers on every row (not a measure of generalisation where
 * they were trained on the rows). With a single source, the headline is the cross-validation.
 * {@code --folds 1} or {@code --classifier FILE} runs the shipped (or given) classifiers on every
 * row only.
 *
 * <p>{@code --train F} (repeatable) adds rows that only train and are never scored; the rows of
 * {@code --dataset} then never train. So a held-out split is scored by classifiers trained on the
 * tune split: leave-one-source-out on the tune rows of the other sources, and {@code
 * cross_validation} by classifiers trained on every tune row.
 *
 * <p>Latency per message is the chain's time plus, when the chain asked for it, the time taken to
 * embed that message (each row is embedded once, timed, before the folds).
 */
public final class GuardSuite {

  private final List<Path> datasets;
  private final List<Path> trainOnly;
  private final int folds;
  private final Path classifierFile;
  private final Path harmfulFile;
  private final int misses;
  private final Path embeddingCache;
  private final GuardTrainer.Settings settings;
  private final Map<String, String> env;
  private final String nearMisses;
  private final Map<String, GuardTrainer.Kind> kinds;

  GuardSuite(List<Path> datasets, int folds, Path classifierFile, Path harmfulFile, int misses, Path embeddingCache,
      GuardTrainer.Settings settings, Map<String, String> env, String nearMisses,
      Map<String, GuardTrainer.Kind> kinds, List<Path> trainOnly) {
    this.nearMisses = nearMisses;
    this.trainOnly = List.copyOf(trainOnly);
    this.datasets = List.copyOf(datasets);
    this.folds = folds;
    this.classifierFile = classifierFile;
    this.harmfulFile = harmfulFile;
    this.misses = misses;
    this.embeddingCache = embeddingCache;
    this.settings = settings;
    this.env = env;
    this.kinds = kinds;
  }

  public static GuardSuite fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--dataset", "--folds", "--classifier", "--harmful-classifier", "--misses",
        "--embedding-cache", "--l2", "--target-fpr", "--seed", "--near-misses", "--kind", "--source-fpr",
        "--balance", "--train", "--model", "--hidden", "--mlp-l2", "--epochs", "--lr",
        "--features"));
    List<Path> datasets = o.all("--dataset").stream().map(Path::of).toList();
    if (datasets.isEmpty()) {
      throw new UsageException("guard needs --dataset FILE (repeatable)");
    }
    Path classifier = o.path("--classifier", null);
    Path harmful = o.path("--harmful-classifier", null);
    boolean given = classifier != null || harmful != null;
    int folds = o.integer("--folds", given ? 1 : 5, 1);
    if (given && folds > 1) {
      throw new UsageException("--classifier runs a trained classifier on every row; it does not go with --folds");
    }
    return new GuardSuite(datasets, folds, classifier, harmful, o.integer("--misses", 0, 0),
        o.path("--embedding-cache", null), trainerSettings(o), env, o.string("--near-misses", null),
        kinds(o), o.all("--train").stream().map(Path::of).toList());
  }

  List<Path> datasets() {
    return datasets;
  }

  /** What each attack source teaches: the known sources', then {@code --kind SOURCE=injection|harmful|both}. */
  static Map<String, GuardTrainer.Kind> kinds(Options o) {
    Map<String, GuardTrainer.Kind> kinds = new LinkedHashMap<>(TrainGuard.KNOWN_KINDS);
    for (String k : o.all("--kind")) {
      int eq = k.indexOf('=');
      GuardTrainer.Kind kind = null;
      if (eq > 0) {
        try {
          kind = GuardTrainer.Kind.valueOf(k.substring(eq + 1).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          // reported below
        }
      }
      if (kind == null) {
        throw new UsageException("--kind takes SOURCE=injection|harmful|both, got '" + k + "'");
      }
      kinds.put(k.substring(0, eq), kind);
    }
    return kinds;
  }

  /** Each benign source's target FPR: the known goals, then {@code --source-fpr SOURCE=F}. */
  static Map<String, Double> sourceFpr(Options o) {
    Map<String, Double> m = new LinkedHashMap<>(GuardTrainer.Settings.KNOWN_SOURCE_FPR);
    for (String v : o.all("--source-fpr")) {
      int eq = v.indexOf('=');
      double d = Double.NaN;
      if (eq > 0) {
        try {
          d = Double.parseDouble(v.substring(eq + 1));
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      if (!(d >= 0 && d < 1)) {
        throw new UsageException("--source-fpr takes SOURCE=F with F from 0 to 1, got '" + v + "'");
      }
      m.put(v.substring(0, eq), d);
    }
    return m;
  }

  static GuardTrainer.Settings trainerSettings(Options o) {
    GuardTrainer.Settings d = GuardTrainer.Settings.DEFAULT;
    String balance = o.string("--balance", d.balance() ? "true" : "false");
    if (!balance.equals("true") && !balance.equals("false")) {
      throw new UsageException("--balance takes true or false, got '" + balance + "'");
    }
    String model = o.string("--model", d.mlp() == null ? "lr" : "mlp");
    if (!model.equals("lr") && !model.equals("mlp")) {
      throw new UsageException("--model takes lr or mlp, got '" + model + "'");
    }
    Mlp.Settings m = d.mlp() != null ? d.mlp() : Mlp.Settings.DEFAULT;
    Mlp.Settings mlp = model.equals("lr") ? null : new Mlp.Settings(o.integer("--hidden", m.hidden(), 1),
        o.string("--mlp-l2", null) == null ? m.l2() : Double.parseDouble(o.string("--mlp-l2", null)),
        positive(o, "--lr", m.learningRate()), m.batch(), o.integer("--epochs", m.maxEpochs(), 1), m.patience(),
        m.seed());
    return new GuardTrainer.Settings(
        positive(o, "--l2", d.l2()), fraction(o, "--target-fpr", d.targetFpr()), d.innerFolds(),
        o.integer("--seed", (int) d.seed(), 0), balance.equals("true"), sourceFpr(o), mlp,
        bool(o, "--features", d.features()));
  }

  private static boolean bool(Options o, String name, boolean fallback) {
    String v = o.string(name, fallback ? "true" : "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new UsageException(name + " takes true or false, got '" + v + "'");
    }
    return v.equals("true");
  }

  private static double positive(Options o, String name, double fallback) {
    String v = o.string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (d > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " takes a positive number, got '" + v + "'");
  }

  private static double fraction(Options o, String name, double fallback) {
    String v = o.string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d < 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " takes a number from 0 to 1, got '" + v + "'");
  }

  /** A row's outcome. */
  record Outcome(GuardRow row, InputCheckResult result, double latencyMs, double score) {
    boolean blocked() {
      return InputGuard.refused(result);
    }
  }

  /** Rows, their embeddings and the rules' blocks, shared by every evaluation of one run. */
  private record Data(List<GuardRow> rows, List<GuardRow> all, Embedded embedded, boolean[] ruleBlocked,
      GuardTrainer.WeakRules weak, InputGuardConfig config) {}

  public ObjectNode run() throws Exception {
    List<GuardRow> rows = new ArrayList<>();
    for (Path d : datasets) {
      rows.addAll(GuardDataset.read(d));
    }
    if (rows.isEmpty()) {
      throw new UsageException("no rows in " + datasets);
    }
    InputGuardConfig config;
    try {
      config = InputGuardConfig.load(env);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<GuardRow> extra = new ArrayList<>();
    if (folds > 1) {
      for (Path t : trainOnly) {
        extra.addAll(GuardDataset.read(t));
      }
      extra.addAll(GuardDataset.nearMisses(nearMisses));
    }
    List<GuardRow> all = new ArrayList<>(rows);
    all.addAll(extra);
    Embedded embedded = embed(all, config);
    Data data = new Data(rows, all, embedded, rulesOnly(all, embedded, config), weakRules(all, config), config);
    if (folds == 1) {
      InputGuard shipped = InputGuard.builder(config).build();
      AttackClassifier injection = classifierFile != null ? AttackClassifier.fromFile(classifierFile) : shipped.classifier();
      AttackClassifier harmful = harmfulFile != null ? AttackClassifier.fromFile(harmfulFile) : shipped.harmfulClassifier();
      Outcome[] outcomes = score(data, new GuardTrainer.Pair(injection, harmful), i -> true);
      ObjectNode out = metrics(List.of(outcomes));
      out.put("evaluation", "the classifiers on every row: "
          + (classifierFile != null ? classifierFile : config.classifier()) + ", "
          + (harmfulFile != null ? harmfulFile : config.harmfulClassifier())
          + " (figures on rows they were trained on are not a measure of generalisation)");
      out.set("thresholds", thresholds(List.of(new GuardTrainer.Pair(injection, harmful))));
      finish(out, outcomes, embedded);
      return out;
    }
    List<String> sources = rows.stream().map(GuardRow::source).distinct().sorted().toList();
    ObjectNode cv = crossValidate(data);
    ObjectNode out;
    if (sources.size() > 1) {
      out = leaveOneSourceOut(data, sources);
      out.set("cross_validation", cv);
    } else {
      out = cv;
    }
    out.put("extra_training_rows", extra.size());
    out.set("rules_alone", rulesAlone(rows, data.ruleBlocked()));
    out.set("shipped", shippedSummary(data));
    return out;
  }

  private ObjectNode leaveOneSourceOut(Data data, List<String> sources) {
    Outcome[] outcomes = new Outcome[data.rows().size()];
    ObjectNode thresholds = JsonNodeFactory.instance.objectNode();
    for (String source : sources) {
      GuardTrainer.Pair pair = trainOn(data, i -> trainable(data, i) && !data.all().get(i).source().equals(source));
      thresholds.set(source, thresholds(List.of(pair)).get(0));
      System.err.printf("leave out %s: thresholds %.4f / %.4f%n", source, pair.injection().threshold(),
          pair.harmful().threshold());
      Outcome[] part = score(data, pair, i -> data.rows().get(i).source().equals(source));
      for (int i = 0; i < outcomes.length; i++) {
        if (part[i] != null) {
          outcomes[i] = part[i];
        }
      }
    }
    ObjectNode out = metrics(List.of(outcomes));
    out.put("evaluation", "leave-one-source-out: each source scored by an injection and a harmful classifier "
        + "trained, thresholds included, on the other sources alone (target FPR " + settings.targetFpr()
        + " a source, " + new java.util.TreeMap<>(settings.sourceFpr()) + " for these)");
    out.set("thresholds", thresholds);
    finish(out, outcomes, data.embedded());
    return out;
  }

  private ObjectNode crossValidate(Data data) {
    List<GuardRow> rows = data.rows();
    Outcome[] outcomes = new Outcome[rows.size()];
    int[] fold = GuardTrainer.folds(rows, folds, settings.seed());
    List<GuardTrainer.Pair> pairs = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      int kk = k;
      // the project's near-miss messages join every training set and are never scored
      GuardTrainer.Pair pair = trainOn(data, i -> i >= rows.size() || trainOnly.isEmpty() && fold[i] != kk);
      pairs.add(pair);
      System.err.printf("fold %d/%d: thresholds %.4f / %.4f%n", k + 1, folds, pair.injection().threshold(),
          pair.harmful().threshold());
      Outcome[] part = score(data, pair, i -> fold[i] == kk);
      for (int i = 0; i < outcomes.length; i++) {
        if (part[i] != null) {
          outcomes[i] = part[i];
        }
      }
    }
    ObjectNode out = metrics(List.of(outcomes));
    out.put("evaluation", trainOnly.isEmpty()
        ? folds + "-fold cross-validation: each fold scored by classifiers trained on the other "
            + (folds - 1) + ", their thresholds chosen on those (target FPR " + settings.targetFpr() + ")"
        : "every row scored by classifiers trained on the --train rows alone, thresholds chosen on those");
    out.set("thresholds", thresholds(pairs));
    finish(out, outcomes, data.embedded());
    return out;
  }

  /** The shipped classifiers on every row: overall and per source, without latency. */
  private ObjectNode shippedSummary(Data data) {
    InputGuard shipped = InputGuard.builder(data.config()).build();
    Outcome[] outcomes = score(data, new GuardTrainer.Pair(shipped.classifier(), shipped.harmfulClassifier()), i -> true);
    ObjectNode m = metrics(List.of(outcomes));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String k : List.of("n", "accuracy", "precision", "recall", "f1", "fpr")) {
      out.set(k, m.get(k));
    }
    ObjectNode bySource = out.putObject("by_source");
    m.path("by_source").fields().forEachRemaining(e -> {
      ObjectNode node = bySource.putObject(e.getKey());
      for (String k : List.of("n", "accuracy", "recall", "fpr")) {
        if (e.getValue().has(k)) {
          node.set(k, e.getValue().get(k));
        }
      }
    });
    out.put("note", "the shipped classifiers on every row: figures on rows they were trained on are not a measure "
        + "of generalisation");
    return out;
  }

  private void finish(ObjectNode out, Outcome[] outcomes, Embedded embedded) {
    out.put("latency_note", embedded.timed
        ? "per message: the chain plus, when the chain needed it, embedding the message"
        : "embeddings read from --embedding-cache: latency is the chain's alone");
    if (misses > 0) {
      out.set("misses", misses(List.of(outcomes), misses));
    }
  }

  private static ArrayNode thresholds(List<GuardTrainer.Pair> pairs) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (GuardTrainer.Pair p : pairs) {
      ObjectNode t = a.addObject();
      if (p.injection() != null) {
        t.put("injection", Stats.round(p.injection().threshold(), 4));
      }
      if (p.harmful() != null) {
        t.put("harmful", Stats.round(p.harmful().threshold(), 4));
      }
    }
    return a;
  }

  /** With {@code --train} files, only their rows (and the near-misses) train; else every row may. */
  private boolean trainable(Data data, int i) {
    return trainOnly.isEmpty() || i >= data.rows().size();
  }

  /** Trains both classifiers on the rows of {@code data.all()} that {@code in} accepts. */
  private GuardTrainer.Pair trainOn(Data data, java.util.function.IntPredicate in) {
    List<GuardRow> train = new ArrayList<>();
    List<float[]> x = new ArrayList<>();
    List<Boolean> rb = new ArrayList<>();
    for (int i = 0; i < data.all().size(); i++) {
      if (in.test(i)) {
        train.add(data.all().get(i));
        x.add(data.embedded().vectors.get(i));
        rb.add(data.ruleBlocked()[i]);
      }
    }
    boolean[] rbArray = new boolean[rb.size()];
    for (int i = 0; i < rbArray.length; i++) {
      rbArray[i] = rb.get(i);
    }
    return new GuardTrainer(settings, kinds).trainPair(train, x, rbArray, data.weak().subset(in), null, null);
  }

  /** Runs the chain with the pair on the rows {@code test} accepts; the others' outcomes are null. */
  private Outcome[] score(Data data, GuardTrainer.Pair pair, java.util.function.IntPredicate test) {
    InputGuard guard = InputGuard.builder(data.config()).classifier(pair.injection())
        .harmfulClassifier(pair.harmful()).embedder(data.embedded()::lookup).build();
    Outcome[] outcomes = new Outcome[data.rows().size()];
    for (int i = 0; i < outcomes.length; i++) {
      if (test.test(i)) {
        outcomes[i] = check(guard, data.rows().get(i), i, data.embedded());
      }
    }
    return outcomes;
  }

  private static Outcome check(InputGuard guard, GuardRow row, int i, Embedded embedded) {
    embedded.used = false;
    long start = System.nanoTime();
    InputCheckResult result = guard.check(row.text());
    double ms = (System.nanoTime() - start) / 1e6;
    if (embedded.used && embedded.timed) {
      ms += embedded.embedMs[i];
    }
    double score = -1;
    for (ScanVerdict v : result.verdicts()) {
      if ((v.scanner().equals("prompt_injection") || v.scanner().equals("harmful"))
          && (v.reasons().isEmpty() || v.reasons().contains("classifier"))) {
        score = Math.max(score, v.score());
      }
    }
    return new Outcome(row, result, ms, score);
  }

  /** Recall and FPR of the rules without the classifier (weak rules cannot fire without it). */
  private static ObjectNode rulesAlone(List<GuardRow> rows, boolean[] blocked) {
    int tp = 0;
    int attacks = 0;
    int fp = 0;
    int benign = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).attack()) {
        attacks++;
        tp += blocked[i] ? 1 : 0;
      } else {
        benign++;
        fp += blocked[i] ? 1 : 0;
      }
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("recall", Stats.round(attacks == 0 ? 0 : tp / (double) attacks, 4));
    node.put("fpr", Stats.round(benign == 0 ? 0 : fp / (double) benign, 4));
    return node;
  }

  /** Which rows a weak rule of the injection or the harmful scanner fires on. */
  static GuardTrainer.WeakRules weakRules(List<GuardRow> rows, InputGuardConfig config) {
    Normaliser normaliser = new Normaliser();
    boolean[] injection = new boolean[rows.size()];
    boolean[] harmful = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      String text = rows.get(i).text();
      if (text.length() > config.shape().maxChars()) {
        continue;
      }
      Normaliser.Normalised n = normaliser.normalise(text);
      injection[i] = GuardRules.INJECTION.match(n, n.text()).stream().anyMatch(h -> !h.rule().strong());
      harmful[i] = GuardRules.HARMFUL.match(n, n.text()).stream().anyMatch(h -> !h.rule().strong());
    }
    return new GuardTrainer.WeakRules(injection, harmful, config.injectionWeakRuleThreshold(),
        config.harmfulWeakRuleThreshold());
  }

  /** Which rows the rules alone block (no classifier): the trainer's starting point. */
  private static boolean[] rulesOnly(List<GuardRow> rows, Embedded embedded, InputGuardConfig config) {
    InputGuard rules = InputGuard.builder(config).classifier(null).embedder(embedded::lookup).build();
    boolean[] blocked = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      blocked[i] = InputGuard.refused(rules.check(rows.get(i).text()));
    }
    return blocked;
  }

  /** Each row's embedding (of its normalised text) and how long it took. */
  static final class Embedded {
    final List<float[]> vectors = new ArrayList<>();
    final Map<String, float[]> byText = new HashMap<>();
    double[] embedMs;
    boolean timed;
    boolean used;
    EmbeddingModel model;

    float[] lookup(String text) {
      used = true;
      float[] v = byText.get(text);
      if (v == null) {
        // a decoded payload, not embedded ahead: embed it now (its time is in the chain's)
        v = model().embed(text).content().vector();
        byText.put(text, v);
      }
      return v;
    }

    EmbeddingModel model() {
      if (model == null) {
        model = Embeddings.queries();
      }
      return model;
    }
  }

  private Embedded embed(List<GuardRow> rows, InputGuardConfig config) throws IOException {
    Embedded e = new Embedded();
    e.embedMs = new double[rows.size()];
    Map<String, float[]> cache = embeddingCache != null && Files.isRegularFile(embeddingCache)
        ? readCache(embeddingCache) : Map.of();
    e.timed = cache.isEmpty();
    Normaliser normaliser = new Normaliser();
    if (e.timed) {
      // warm the model up so that the first rows' times are not its start-up
      for (int w = 0; w < 20; w++) {
        e.model().embed("warm-up message number " + w);
      }
    }
    long started = System.nanoTime();
    for (int i = 0; i < rows.size(); i++) {
      String text = rows.get(i).text();
      String normalised = text.length() > config.shape().maxChars() ? text : normaliser.normalise(text).text();
      float[] v = cache.get(normalised);
      if (v == null) {
        long s = System.nanoTime();
        v = e.model().embed(normalised.isEmpty() ? " " : normalised).content().vector();
        e.embedMs[i] = (System.nanoTime() - s) / 1e6;
      }
      e.vectors.add(v);
      e.byText.put(normalised, v);
      if ((i + 1) % 200 == 0) {
        System.err.printf("embedded %d of %d rows (%.0f s)%n", i + 1, rows.size(), (System.nanoTime() - started) / 1e9);
      }
    }
    if (embeddingCache != null && cache.isEmpty()) {
      writeCache(embeddingCache, e.byText);
    }
    return e;
  }

  private ObjectNode metrics(List<Outcome> outcomes) {
    ObjectNode out = counts(outcomes, true);
    List<Double> latency = outcomes.stream().map(Outcome::latencyMs).toList();
    out.set("latency_ms", Stats.latency(latency));
    Map<String, List<Outcome>> bySource = new TreeMap<>();
    for (Outcome o : outcomes) {
      bySource.computeIfAbsent(o.row().source(), s -> new ArrayList<>()).add(o);
    }
    if (!(bySource.size() == 1 && bySource.containsKey(GuardDataset.NO_SOURCE))) {
      ObjectNode sources = out.putObject("by_source");
      for (Map.Entry<String, List<Outcome>> s : bySource.entrySet()) {
        ObjectNode node = counts(s.getValue(), false);
        node.set("latency_ms", Stats.latency(s.getValue().stream().map(Outcome::latencyMs).toList()));
        sources.set(s.getKey(), node);
      }
    }
    Map<String, Integer> blockedBy = new TreeMap<>();
    Map<String, Integer> otherActions = new TreeMap<>();
    for (Outcome o : outcomes) {
      InputCheckResult r = o.result();
      if (r.action() == GuardAction.ALLOW) {
        continue;
      }
      String key = r.reason() + (r.action() == GuardAction.BLOCK ? "" : ":" + r.action().name().toLowerCase());
      for (ScanVerdict v : r.verdicts()) {
        if (v.scanner().equals(r.reason()) && v.action() == r.action()) {
          key += v.reasons().contains("classifier") ? (v.reasons().size() > 1 ? ":weak_rule+classifier" : ":classifier")
              : v.scanner().equals("shape") ? "" : ":rule";
        }
      }
      (InputGuard.refused(r) ? blockedBy : otherActions).merge(key, 1, Integer::sum);
    }
    ObjectNode by = out.putObject("blocked_by");
    blockedBy.forEach(by::put);
    ObjectNode other = out.putObject("not_blocks");
    otherActions.forEach(other::put);
    return out;
  }

  /** Accuracy, recall, FPR and the rest over some outcomes; per source only what applies. */
  private static ObjectNode counts(List<Outcome> outcomes, boolean all) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    int declined = 0;
    int escalated = 0;
    for (Outcome o : outcomes) {
      boolean b = o.blocked();
      if (o.row().attack()) {
        if (b) {
          tp++;
        } else {
          fn++;
        }
      } else if (b) {
        fp++;
      } else {
        tn++;
      }
      if (o.result().action() == GuardAction.BLOCK && !b) {
        declined++;
      }
      if (o.result().action() == GuardAction.ESCALATE) {
        escalated++;
      }
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    int n = outcomes.size();
    node.put("n", n);
    node.put("accuracy", Stats.round((tp + tn) / (double) n, 4));
    boolean attacks = tp + fn > 0;
    boolean benign = fp + tn > 0;
    if (all || (attacks && benign)) {
      double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
      double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
      node.put("precision", Stats.round(precision, 4));
      node.put("recall", Stats.round(recall, 4));
      node.put("f1", Stats.round(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), 4));
      node.put("fpr", Stats.round(fp + tn == 0 ? 0 : fp / (double) (fp + tn), 4));
    } else if (attacks) {
      node.put("recall", Stats.round(tp / (double) (tp + fn), 4));
    } else {
      node.put("fpr", Stats.round(fp / (double) (fp + tn), 4));
    }
    node.put("attacks", tp + fn);
    node.put("benign", fp + tn);
    node.put("blocked", tp + fp);
    node.put("declined_off_topic", declined);
    node.put("escalated", escalated);
    return node;
  }

  private static ObjectNode misses(List<Outcome> outcomes, int max) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ArrayNode fn = node.putArray("missed_attacks");
    ArrayNode fp = node.putArray("blocked_benign");
    for (Outcome o : outcomes) {
      boolean b = o.blocked();
      ArrayNode target = o.row().attack() && !b ? fn : !o.row().attack() && b ? fp : null;
      if (target == null || target.size() >= max) {
        continue;
      }
      ObjectNode m = target.addObject();
      m.put("id", o.row().id());
      m.put("source", o.row().source());
      m.put("score", Stats.round(o.score(), 4));
      if (b) {
        m.put("reason", o.result().reason());
        ArrayNode reasons = m.putArray("fired");
        for (ScanVerdict v : o.result().verdicts()) {
          if (v.action() != GuardAction.ALLOW) {
            v.reasons().forEach(reasons::add);
          }
        }
      }
      String t = o.row().text();
      m.put("text", t.length() > 240 ? t.substring(0, 240) + "…" : t);
    }
    return node;
  }

  private static Map<String, float[]> readCache(Path file) throws IOException {
    Map<String, float[]> m = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String text = in.readUTF();
        float[] v = new float[in.readInt()];
        for (int j = 0; j < v.length; j++) {
          v[j] = in.readFloat();
        }
        m.put(text, v);
      }
    }
    return m;
  }

  private static void writeCache(Path file, Map<String, float[]> vectors) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(vectors.size());
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float f : e.getValue()) {
          out.writeFloat(f);
        }
      }
    }
  }
}
