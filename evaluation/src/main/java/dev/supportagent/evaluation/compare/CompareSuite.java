package dev.supportagent.evaluation.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.JsonLines;
import dev.supportagent.evaluation.metrics.Bootstrap;
import dev.supportagent.evaluation.metrics.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code compare --baseline A --candidate B}: the difference of each answers figure between two
 * runs, with a 95 % interval, and which gated figures regressed.
 *
 * <p>When both runs have {@code rows.jsonl} of the same question ids, differences are paired: the
 * figure over the questions both runs scored, candidate minus baseline, with a paired bootstrap
 * interval (pairs resampled together). Otherwise the headline figures are subtracted, and the
 * interval, when both files carry {@code ci95}, is the normal approximation from the two
 * intervals' half-widths.
 *
 * <p>A gated figure regresses when the candidate is worse by more than the allowed drop <em>and</em>
 * the interval, when there is one, lies wholly on the worse side of zero: noise alone does not fail
 * the gate, and neither does a real but allowed drop. Higher is better for accuracies and answer
 * scores, lower for {@code latency_ms.p95} and {@code cost_usd} (per question), which are gated
 * only when {@code --gate} names them.
 */
public final class CompareSuite {

  /** Which way is better. */
  enum Direction {
    HIGHER, LOWER
  }

  /** An allowed drop: an amount in the figure's unit, or a share of the baseline. */
  record Allowed(double amount, boolean relative) {
    double resolve(Double baseline) {
      return relative ? amount * Math.abs(baseline == null ? 0 : baseline) : amount;
    }

    static Allowed parse(String text) {
      String t = text.strip();
      boolean relative = t.endsWith("%");
      double v = Double.parseDouble(relative ? t.substring(0, t.length() - 1) : t);
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new NumberFormatException(text);
      }
      return new Allowed(relative ? v / 100 : v, relative);
    }
  }

  /**
   * A compared figure: how to read it from a metrics file and from a row.
   *
   * @param headline the figure in a metrics file
   * @param ciKey its interval's key under {@code ci95}
   * @param rows the rows it is computed over
   * @param value a row's value; null when it does not apply
   */
  record Metric(String name, Direction direction, boolean gatedByDefault, Allowed defaultDrop,
      Function<JsonNode, Double> headline, String ciKey, Predicate<JsonNode> rows, Function<JsonNode, Double> value,
      Bootstrap.Statistic statistic, int decimals) {}

  static final Allowed SHARE_DROP = new Allowed(0.02, false);
  static final Allowed RELATIVE_RISE = new Allowed(0.10, true);
  static final Map<String, String> SCORE_ROW_KEYS =
      Map.of("answer_f1", "f1", "semantic_similarity", "similarity", "groundedness", "groundedness",
          "citation_precision", "citation_precision", "citation_recall", "citation_recall");
  static final List<String> SCORES =
      List.of("answer_f1", "semantic_similarity", "groundedness", "citation_precision", "citation_recall");
  static final List<String> EXPECTS = List.of("answer", "decline", "escalate", "refuse");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A run: its metrics and, when it has them, its rows by question id. */
  record Run(Path path, JsonNode metrics, Map<String, JsonNode> rows) {}

  private final Path baselinePath;
  private final Path candidatePath;
  private final List<String> maxDrops;
  private final List<String> gates;
  private final Bootstrap bootstrap;

  CompareSuite(Path baseline, Path candidate, List<String> maxDrops, List<String> gates, Bootstrap bootstrap) {
    this.baselinePath = baseline;
    this.candidatePath = candidate;
    this.maxDrops = maxDrops;
    this.gates = gates;
    this.bootstrap = bootstrap;
  }

  public static CompareSuite fromArgs(String[] args) {
    Options o = Options.parse(args, Set.of("--baseline", "--candidate", "--max-drop", "--gate", "--seed", "--resamples"));
    Path baseline = o.path("--baseline", null);
    Path candidate = o.path("--candidate", null);
    if (baseline == null || candidate == null) {
      throw new UsageException("compare needs --baseline A and --candidate B (metrics.json files or answers output folders)");
    }
    return new CompareSuite(baseline, candidate, o.all("--max-drop"), o.all("--gate"),
        new Bootstrap(o.integer("--resamples", Bootstrap.DEFAULT_RESAMPLES, 100),
            o.integer("--seed", (int) Bootstrap.DEFAULT_SEED, 0)));
  }

  public ObjectNode run() {
    Run base = load(baselinePath);
    Run cand = load(candidatePath);
    Map<String, Metric> metrics = catalogue(base.metrics(), cand.metrics());
    Map<String, Allowed> drops = drops(metrics);
    Set<String> gated = gated(metrics);

    String unpaired = null;
    if (base.rows() == null || cand.rows() == null) {
      unpaired = "rows.jsonl missing beside " + (base.rows() == null ? base.path() : cand.path());
    } else if (!base.rows().keySet().equals(cand.rows().keySet())) {
      unpaired = "the runs asked different questions";
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("suite", "compare");
    out.put("baseline", base.path().toString());
    out.put("candidate", cand.path().toString());
    out.put("paired", unpaired == null);
    if (unpaired == null) {
      out.put("questions", base.rows().size());
    } else {
      out.put("unpaired_because", unpaired);
    }
    ObjectNode b = out.putObject("bootstrap");
    b.put("level", Bootstrap.LEVEL);
    b.put("resamples", bootstrap.resamples());
    b.put("seed", bootstrap.seed());
    ObjectNode figures = out.putObject("metrics");
    var regressions = out.putArray("regressions");
    for (Metric m : metrics.values()) {
      Comparison c = unpaired == null ? paired(m, base, cand) : unpaired(m, base.metrics(), cand.metrics());
      ObjectNode node = figures.putObject(m.name());
      node.put("direction", m.direction() == Direction.HIGHER ? "higher_is_better" : "lower_is_better");
      put(node, "baseline", c.baseline(), m.decimals());
      put(node, "candidate", c.candidate(), m.decimals());
      Double diff = c.baseline() == null || c.candidate() == null ? null : c.candidate() - c.baseline();
      put(node, "diff", diff, m.decimals());
      if (c.ci() == null) {
        node.putNull("ci95");
      } else {
        node.putArray("ci95").add(Stats.round(c.ci()[0], m.decimals())).add(Stats.round(c.ci()[1], m.decimals()));
      }
      if (c.n() != null) {
        node.put("n", c.n());
      }
      boolean isGated = gated.contains(m.name());
      node.put("gated", isGated);
      double allowed = drops.get(m.name()).resolve(c.baseline());
      put(node, "allowed_drop", allowed, m.decimals());
      boolean regressed = isGated && regressed(m.direction(), diff, c.ci(), allowed);
      node.put("regressed", regressed);
      if (regressed) {
        regressions.add(m.name());
      }
    }
    return out;
  }

  /**
   * Worse by more than {@code allowed}, and, when there is an interval, all of it on the worse side
   * of zero.
   */
  static boolean regressed(Direction direction, Double diff, double[] ci, double allowed) {
    if (diff == null) {
      return false;
    }
    double worseBy = direction == Direction.HIGHER ? -diff : diff;
    if (worseBy <= allowed + 1e-12) {
      return false;
    }
    if (ci == null) {
      return true;
    }
    return direction == Direction.HIGHER ? ci[1] < 0 : ci[0] > 0;
  }

  record Comparison(Double baseline, Double candidate, double[] ci, Integer n) {}

  private Comparison paired(Metric m, Run base, Run cand) {
    List<Double> bv = new ArrayList<>();
    List<Double> cv = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : base.rows().entrySet()) {
      JsonNode br = e.getValue();
      JsonNode cr = cand.rows().get(e.getKey());
      if (!m.rows().test(br) || !m.rows().test(cr)) {
        continue;
      }
      Double x = m.value().apply(br);
      Double y = m.value().apply(cr);
      if (x != null && y != null) {
        bv.add(x);
        cv.add(y);
      }
    }
    if (bv.isEmpty()) {
      return new Comparison(null, null, null, 0);
    }
    double[] b = bv.stream().mapToDouble(Double::doubleValue).toArray();
    double[] c = cv.stream().mapToDouble(Double::doubleValue).toArray();
    return new Comparison(m.statistic().applyAsDouble(b), m.statistic().applyAsDouble(c),
        bootstrap.paired(b, c, m.statistic()), b.length);
  }

  private static Comparison unpaired(Metric m, JsonNode base, JsonNode cand) {
    Double b = m.headline().apply(base);
    Double c = m.headline().apply(cand);
    double[] bci = interval(base.path("ci95").path(m.ciKey()));
    double[] cci = interval(cand.path("ci95").path(m.ciKey()));
    double[] ci = null;
    if (b != null && c != null && bci != null && cci != null) {
      // normal approximation: each half-width is 1.96 standard errors; the runs are independent
      double half = Math.sqrt(Math.pow((bci[1] - bci[0]) / 2, 2) + Math.pow((cci[1] - cci[0]) / 2, 2));
      ci = new double[] {c - b - half, c - b + half};
    }
    return new Comparison(b, c, ci, null);
  }

  /** The figures both files can give: the accuracies per expectation that either has, and the rest. */
  static Map<String, Metric> catalogue(JsonNode base, JsonNode cand) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", new Metric("accuracy", Direction.HIGHER, false, SHARE_DROP, m -> number(m.path("accuracy")),
        "accuracy", r -> true, CompareSuite::correct, Bootstrap.MEAN, 6));
    for (String expect : EXPECTS) {
      if (!base.path("by_expect").has(expect) && !cand.path("by_expect").has(expect)) {
        continue;
      }
      String name = "by_expect." + expect + ".accuracy";
      metrics.put(name, new Metric(name, Direction.HIGHER, true, SHARE_DROP,
          m -> number(m.path("by_expect").path(expect).path("accuracy")), name,
          r -> expect.equals(r.path("expect").asText()), CompareSuite::correct, Bootstrap.MEAN, 6));
    }
    for (String score : SCORES) {
      String rowKey = SCORE_ROW_KEYS.get(score);
      metrics.put(score, new Metric(score, Direction.HIGHER, true, SHARE_DROP, m -> number(m.path(score)), score,
          r -> true, r -> number(r.path(rowKey)), Bootstrap.MEAN, 6));
    }
    metrics.put("latency_ms.p95", new Metric("latency_ms.p95", Direction.LOWER, false, RELATIVE_RISE,
        m -> number(m.path("latency_ms").path("p95")), "latency_ms.p95", r -> true, r -> number(r.path("latency_ms")),
        Bootstrap.P95, 1));
    metrics.put("cost_usd", new Metric("cost_usd", Direction.LOWER, false, RELATIVE_RISE, CompareSuite::costPerQuestion,
        "cost_usd_per_question", r -> true, r -> number(r.path("cost_usd")), Bootstrap.MEAN, 10));
    return metrics;
  }

  private Map<String, Allowed> drops(Map<String, Metric> metrics) {
    Map<String, Allowed> drops = new LinkedHashMap<>();
    metrics.values().forEach(m -> drops.put(m.name(), m.defaultDrop()));
    for (String spec : maxDrops) {
      int eq = spec.indexOf('=');
      String name = eq < 0 ? spec : spec.substring(0, eq).strip();
      if (eq < 0 || !metrics.containsKey(name)) {
        throw new UsageException("--max-drop takes METRIC=AMOUNT or METRIC=PERCENT%, METRIC one of "
            + metrics.keySet() + "; got '" + spec + "'");
      }
      try {
        drops.put(name, Allowed.parse(spec.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new UsageException("--max-drop " + name + " takes a number of at least 0, or a percentage; got '"
            + spec.substring(eq + 1) + "'");
      }
    }
    return drops;
  }

  private Set<String> gated(Map<String, Metric> metrics) {
    Set<String> defaults = new LinkedHashSet<>();
    metrics.values().stream().filter(Metric::gatedByDefault).forEach(m -> defaults.add(m.name()));
    if (gates.isEmpty()) {
      return defaults;
    }
    Set<String> gated = new LinkedHashSet<>();
    for (String list : gates) {
      for (String name : list.split(",")) {
        String n = name.strip();
        if (n.equals("default")) {
          gated.addAll(defaults);
        } else if (metrics.containsKey(n)) {
          gated.add(n);
        } else if (!n.isEmpty()) {
          throw new UsageException("--gate: unknown metric '" + n + "' (known: default, " + String.join(", ", metrics.keySet()) + ")");
        }
      }
    }
    return gated;
  }

  /** A metrics file or an answers output folder; rows.jsonl beside the metrics when present. */
  static Run load(Path path) {
    Path metricsFile = Files.isDirectory(path) ? path.resolve("metrics.json") : path;
    if (!Files.isRegularFile(metricsFile)) {
      throw new UsageException("no metrics file: " + metricsFile);
    }
    JsonNode metrics;
    try {
      metrics = JSON.readTree(metricsFile.toFile());
    } catch (IOException e) {
      throw new UsageException("cannot read " + metricsFile + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (metrics == null || !metrics.isObject() || !metrics.has("by_expect") || !metrics.has("n")) {
      throw new UsageException(metricsFile + " is not an answers metrics file (no 'n' and 'by_expect')");
    }
    Path rowsFile = metricsFile.toAbsolutePath().getParent().resolve("rows.jsonl");
    Map<String, JsonNode> rows = null;
    if (Files.isRegularFile(rowsFile)) {
      rows = new LinkedHashMap<>();
      for (JsonNode row : JsonLines.read(rowsFile, "rows", CompareSuite::row)) {
        if (rows.put(row.get("id").asText(), row) != null) {
          throw new UsageException(rowsFile + ": question id '" + row.get("id").asText() + "' appears twice");
        }
      }
    }
    return new Run(path, metrics, rows);
  }

  private static JsonNode row(int line, JsonNode row) {
    if (!row.path("id").isTextual() || row.path("id").asText().isBlank()) {
      throw new IllegalArgumentException("missing field 'id'");
    }
    if (!row.path("expect").isTextual() || !row.path("correct").isBoolean()) {
      throw new IllegalArgumentException("a row needs 'expect' and a boolean 'correct'");
    }
    return row;
  }

  private static Double correct(JsonNode row) {
    return row.path("correct").asBoolean() ? 1.0 : 0.0;
  }

  private static Double costPerQuestion(JsonNode m) {
    Double perQuestion = number(m.path("cost_usd_per_question"));
    if (perQuestion != null) {
      return perQuestion;
    }
    Double total = number(m.path("cost_usd"));
    int n = m.path("n").asInt(0);
    return total == null || n == 0 ? null : total / n;
  }

  private static Double number(JsonNode node) {
    return node != null && node.isNumber() ? node.asDouble() : null;
  }

  private static double[] interval(JsonNode node) {
    return node.isArray() && node.size() == 2 && node.get(0).isNumber() && node.get(1).isNumber()
        ? new double[] {node.get(0).asDouble(), node.get(1).asDouble()}
        : null;
  }

  private static void put(ObjectNode node, String key, Double value, int decimals) {
    if (value == null) {
      node.putNull(key);
    } else {
      node.put(key, Stats.round(value, decimals));
    }
  }
}
