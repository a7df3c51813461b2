package dev.supportagent.evaluation.canary;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.ExtendedStatsAggregate;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code canary}: reads the turn log for the two arms of an A/B split (prompt versions by default,
 * or models), compares them with {@link CanaryDecision} and recommends promote, roll back or wait;
 * with {@code --apply FILE} it writes the decision to the worker's settings file ({@code
 * SUPPORT_PROMPT_VERSIONS=...}), which the worker reads when it next starts.
 */
public final class CanarySuite {

  static final String PROMPT_SETTING = "SUPPORT_PROMPT_VERSIONS";
  private static final ObjectMapper json = new ObjectMapper();

  private final String esUrl;
  private final String alias;
  private final String field;
  private final String baseline;
  private final String candidate;
  private final Duration since;
  private final CanaryDecision.Margins margins;
  private final Path apply;

  CanarySuite(String esUrl, String alias, String field, String baseline, String candidate, Duration since,
      CanaryDecision.Margins margins, Path apply) {
    this.esUrl = esUrl;
    this.alias = alias;
    this.field = field;
    this.baseline = baseline;
    this.candidate = candidate;
    this.since = since;
    this.margins = margins;
    this.apply = apply;
  }

  public static CanarySuite fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--baseline", "--candidate", "--by", "--since", "--min-turns",
        "--min-rated", "--max-negative-feedback", "--max-escalation", "--max-guard-trips", "--max-cost-increase",
        "--max-grounding-drop", "--apply"));
    String baseline = o.string("--baseline", null);
    String candidate = o.string("--candidate", null);
    if (baseline == null || candidate == null) {
      throw new UsageException("canary needs --baseline ARM and --candidate ARM (prompt versions, or models with --by model)");
    }
    if (baseline.equals(candidate)) {
      throw new UsageException("canary: --baseline and --candidate are the same arm");
    }
    String by = o.string("--by", "prompt");
    String field = switch (by) {
      case "prompt" -> "ab_arm";
      case "model" -> "model";
      default -> throw new UsageException("canary: --by is prompt or model, not " + by);
    };
    Path apply = o.path("--apply", null);
    if (apply != null && !by.equals("prompt")) {
      throw new UsageException("canary: --apply writes " + PROMPT_SETTING + "; a model decision is applied by"
          + " setting SUPPORT_MODEL_FAST or SUPPORT_MODEL_STRONG yourself");
    }
    CanaryDecision.Margins d = CanaryDecision.Margins.DEFAULTS;
    CanaryDecision.Margins margins =
        new CanaryDecision.Margins(
            o.decimal("--max-negative-feedback", d.negativeFeedback(), 0, 1),
            o.decimal("--max-escalation", d.escalation(), 0, 1),
            o.decimal("--max-guard-trips", d.guardTrips(), 0, 1),
            o.decimal("--max-cost-increase", d.costRelative(), 0, 100),
            o.decimal("--max-grounding-drop", d.grounding(), 0, 1),
            o.integer("--min-turns", (int) d.minTurns(), 1),
            o.integer("--min-rated", (int) d.minRated(), 1));
    return new CanarySuite(
        env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
        env.getOrDefault("SUPPORT_TURN_LOG_ALIAS", ElasticsearchTurnLog.DEFAULT_ALIAS),
        field, baseline, candidate, duration(o.string("--since", "7d")), margins, apply);
  }

  /** {@code 7d}, {@code 12h}, {@code 30m}, or an ISO-8601 duration ({@code PT6H}). */
  static Duration duration(String text) {
    try {
      if (text.matches("\\d{1,6}[dhm]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
      }
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException("canary: --since takes 7d, 12h, 30m or an ISO-8601 duration, not " + text);
    }
  }

  /** Exit 1 (a gate failed) when the recommendation is to roll back. */
  public static boolean failed(ObjectNode result) {
    return "rollback".equals(result.path("recommendation").asText());
  }

  public ObjectNode run() throws IOException {
    ArmStats b;
    ArmStats c;
    try (ElasticsearchClient es = ElasticsearchClients.create(esUrl)) {
      if (!es.indices().exists(e -> e.index(alias)).value()) {
        throw new UsageException("canary: no turn log at " + esUrl + " (alias " + alias + ")");
      }
      Instant from = Instant.now().minus(since);
      b = read(es, baseline, from);
      c = read(es, candidate, from);
    }
    CanaryDecision.Result result = CanaryDecision.decide(b, c, margins);
    ObjectNode out = json.createObjectNode();
    out.put("by", field.equals("ab_arm") ? "prompt" : "model");
    out.put("since", since.toString());
    out.put("recommendation", result.recommendation().name().toLowerCase());
    ArrayNode reasons = out.putArray("reasons");
    result.reasons().forEach(reasons::add);
    out.set("baseline", json.valueToTree(b));
    out.set("candidate", json.valueToTree(c));
    ObjectNode signals = out.putObject("signals");
    for (CanaryDecision.Signal s : result.signals()) {
      ObjectNode n = signals.putObject(s.name());
      n.put("baseline", s.baseline());
      n.put("candidate", s.candidate());
      n.put("diff", s.diff());
      if (s.ci95() != null) {
        n.putArray("ci95").add(s.ci95()[0]).add(s.ci95()[1]);
      }
      n.put("margin", s.margin());
      n.put("higher_is_worse", s.higherIsWorse());
      n.put("status", s.status());
    }
    if (apply != null) {
      String value = switch (result.recommendation()) {
        case PROMOTE -> candidate;
        case ROLLBACK -> baseline;
        case WAIT -> null;
      };
      ObjectNode applied = out.putObject("applied");
      applied.put("file", apply.toString());
      if (value == null) {
        applied.put("changed", false);
      } else {
        String before = setEnv(apply, PROMPT_SETTING, value);
        applied.put("changed", !value.equals(before));
        applied.put("setting", PROMPT_SETTING);
        applied.put("before", before);
        applied.put("after", value);
        applied.put("note", "restart the worker to use it (deploy/local/stop and deploy/local/run for the local stack)");
      }
    }
    return out;
  }

  ArmStats read(ElasticsearchClient es, String arm, Instant from) throws IOException {
    SearchResponse<Void> r =
        es.search(s -> s.index(alias).size(0).trackTotalHits(t -> t.enabled(true))
            .query(q -> q.bool(bq -> bq
                .filter(f -> f.term(t -> t.field(field).value(arm)))
                .filter(f -> f.range(rg -> rg.date(d -> d.field("at").gte(from.toString()))))))
            .aggregations("rated", a -> a.filter(f -> f.exists(e -> e.field("feedback.rating"))))
            .aggregations("negative", a -> a.filter(f -> f.term(t -> t.field("feedback.rating").value("down"))))
            .aggregations("escalated", a -> a.filter(f -> f.term(t -> t.field("escalated").value(true))))
            .aggregations("trips", a -> a.filter(f -> f.bool(bq -> bq
                .should(x -> x.exists(e -> e.field("guard_trips")))
                .should(x -> x.term(t -> t.field("blocked").value(true)))
                .minimumShouldMatch("1"))))
            .aggregations("cost", a -> a.extendedStats(e -> e.field("cost_usd")))
            .aggregations("grounding", a -> a.extendedStats(e -> e.field("grounding_score"))),
            Void.class);
    var aggs = r.aggregations();
    ExtendedStatsAggregate cost = aggs.get("cost").extendedStats();
    ExtendedStatsAggregate grounding = aggs.get("grounding").extendedStats();
    return new ArmStats(
        arm,
        r.hits().total() == null ? 0 : r.hits().total().value(),
        aggs.get("rated").filter().docCount(),
        aggs.get("negative").filter().docCount(),
        aggs.get("escalated").filter().docCount(),
        aggs.get("trips").filter().docCount(),
        orZero(cost.avg()),
        orZero(cost.stdDeviation()),
        grounding.count(),
        orZero(grounding.avg()),
        orZero(grounding.stdDeviation()));
  }

  private static double orZero(Double v) {
    return v == null || v.isNaN() ? 0 : v;
  }

  /**
   * Sets {@code key=value} in an env file (one {@code KEY=VALUE} a line; other lines kept as they
   * are), replacing the key's line or adding one; returns the value it had, or null. Written to a
   * temporary file and moved into place, so a reader never sees half a file.
   */
  static String setEnv(Path file, String key, String value) throws IOException {
    List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
    String before = null;
    boolean found = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith(key + "=") || line.startsWith("export " + key + "=")) {
        before = line.substring(line.indexOf('=') + 1).replaceAll("^[\"']|[\"']$", "");
        lines.set(i, key + "=" + value);
        found = true;
      }
    }
    if (!found) {
      lines.add(key + "=" + value);
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".canary", ".env");
    Files.write(tmp, lines);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return before;
  }
}
