package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration, alert rules and Grafana dashboard under {@code deploy/}: their
 * structure, and that every metric and label they name is one the API or the worker exports (as
 * {@link ExportedMetrics} scrapes them), so a renamed instrument fails here rather than leaving an
 * alert that never fires.
 */
class MonitoringFilesTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern DURATION = Pattern.compile("(?:\\d+y)?(?:\\d+w)?(?:\\d+d)?(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?(?:\\d+ms)?");
  static final Pattern ALERT_NAME = Pattern.compile("[A-Z][A-Za-z0-9]+");
  static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
  static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*=~?\\s*\"([^\"]*)\"");
  static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  /** Labels Prometheus adds to every scraped series. */
  static final Set<String> TARGET_LABELS = Set.of("job", "instance");
  /** Series Prometheus makes itself for each target. */
  static final Map<String, Set<String>> PROMETHEUS_SERIES = Map.of("up", Set.of());
  static final String DATASOURCE = "${DS_PROMETHEUS}";

  static Path deploy;
  static ExportedMetrics exported;

  @BeforeAll
  static void load() {
    deploy = findDeploy();
    exported = ExportedMetrics.collect();
  }

  static Path findDeploy() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/prometheus/alerts.yml"))) {
        return dir.resolve("deploy");
      }
    }
    throw new IllegalStateException("no deploy/prometheus/alerts.yml above " + Path.of("").toAbsolutePath());
  }

  static JsonNode read(ObjectMapper mapper, String file) throws IOException {
    return mapper.readTree(Files.readString(deploy.resolve(file)));
  }

  // --- what the processes export -------------------------------------------------------------

  @Test
  void should_export_the_documented_metrics_with_their_labels() {
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("support_turn_duration_seconds_bucket", Set.of("stage", "le"));
    expected.put("support_turn_stage_duration_seconds_bucket", Set.of("stage", "le"));
    expected.put("support_turn_first_token_duration_seconds_bucket", Set.of("tier", "provider", "le"));
    expected.put("support_model_first_token_duration_seconds_bucket", Set.of("provider", "model", "tier", "le"));
    expected.put("support_model_calls_total", Set.of("provider", "model", "tier"));
    expected.put("support_model_tokens_total", Set.of("provider", "model", "tier", "direction"));
    expected.put("support_model_cost_USD_total", Set.of("provider", "model", "tier"));
    expected.put("support_model_fallbacks_total", Set.of("provider", "reason"));
    expected.put("support_model_provider_errors_total", Set.of("provider", "model", "kind"));
    expected.put("support_model_breaker_state", Set.of("provider", "endpoint"));
    expected.put("support_answer_cache_lookups_total", Set.of("result"));
    expected.put("support_guard_verdicts_total", Set.of("scanner", "action", "stage", "fired"));
    expected.put("support_escalations_total", Set.of("reason"));
    expected.put("support_escalation_sla_breaches_total", Set.of("deadline"));
    expected.put("support_escalation_actions_total", Set.of("action"));
    expected.put("support_feedback_total", Set.of("rating"));
    expected.forEach(
        (name, labels) -> {
          Set<String> seen = exported.labels.get(name);
          assertTrue(seen != null, name + " is not exported: " + exported.labels.keySet());
          assertTrue(seen.containsAll(labels), name + " has " + seen + ", expected " + labels);
        });
  }

  @Test
  void should_put_the_api_metrics_on_the_api_and_the_worker_metrics_on_the_worker() {
    for (String api : List.of("support_turn_duration_seconds", "support_turn_first_token_duration_seconds",
        "support_feedback_total", "support_escalation_actions_total")) {
      assertTrue(exported.apiText.contains("\n" + api), api);
      assertFalse(exported.workerText.contains("\n" + api + "{"), api);
    }
    for (String worker : List.of("support_turn_stage_duration_seconds", "support_model_calls_total",
        "support_model_provider_errors_total", "support_model_breaker_state", "support_escalations_total",
        "support_guard_verdicts_total", "support_answer_cache_lookups_total")) {
      assertTrue(exported.workerText.contains("\n" + worker), worker);
      assertFalse(exported.apiText.contains("\n" + worker), worker);
    }
  }

  // --- prometheus.yml -------------------------------------------------------------------------

  @Test
  void should_scrape_the_api_and_the_worker_and_load_the_rules() throws IOException {
    JsonNode config = read(YAML, "prometheus/prometheus.yml");

    for (String field : List.of("scrape_interval", "scrape_timeout", "evaluation_interval")) {
      assertDuration(config.at("/global/" + field).asText(), "global." + field);
    }
    assertTrue(config.get("rule_files").size() > 0);
    for (JsonNode file : config.get("rule_files")) {
      assertTrue(Files.isRegularFile(deploy.resolve("prometheus").resolve(file.asText())), file.asText());
    }
    assertEquals(Map.of("support-api", "7070", "support-worker", "9464"), scrapedPorts(config));
  }

  static Map<String, String> scrapedPorts(JsonNode config) {
    Map<String, String> ports = new LinkedHashMap<>();
    for (JsonNode job : config.get("scrape_configs")) {
      for (JsonNode statics : job.get("static_configs")) {
        for (JsonNode target : statics.get("targets")) {
          String t = target.asText();
          ports.put(job.get("job_name").asText(), t.substring(t.lastIndexOf(':') + 1));
        }
      }
    }
    return ports;
  }

  // --- alerts.yml -----------------------------------------------------------------------------

  @Test
  void should_give_every_rule_a_name_expression_duration_severity_and_summary() throws IOException {
    JsonNode groups = read(YAML, "prometheus/alerts.yml").get("groups");
    assertTrue(groups != null && groups.size() > 0, "groups");
    Set<String> groupNames = new HashSet<>();
    Set<String> alerts = new HashSet<>();
    for (JsonNode group : groups) {
      assertTrue(groupNames.add(group.get("name").asText()), "group names are unique: " + group.get("name"));
      assertTrue(group.get("rules").size() > 0, group.get("name") + " has rules");
      for (JsonNode rule : group.get("rules")) {
        String alert = rule.path("alert").asText();
        assertTrue(ALERT_NAME.matcher(alert).matches(), "alert name: " + rule);
        assertTrue(alerts.add(alert), "alert names are unique: " + alert);
        assertFalse(rule.path("expr").asText().isBlank(), alert + ": expr");
        assertDuration(rule.path("for").asText(), alert + ": for");
        assertTrue(SEVERITIES.contains(rule.at("/labels/severity").asText()), alert + ": labels.severity");
        assertFalse(rule.at("/annotations/summary").asText().isBlank(), alert + ": annotations.summary");
        for (JsonNode annotation : rule.get("annotations")) {
          Matcher m = TEMPLATE_LABEL.matcher(annotation.asText());
          while (m.find()) {
            assertTrue(labelsAfter(PromQl.parse(rule.get("expr").asText())).contains(m.group(1)),
                alert + ": the annotation names $labels." + m.group(1) + ", which its expression does not keep");
          }
        }
      }
    }
  }

  @Test
  void should_alert_on_each_concern_the_runbook_names() throws IOException {
    Set<String> alerts = new TreeSet<>();
    read(YAML, "prometheus/alerts.yml").get("groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
    assertTrue(alerts.containsAll(Set.of("SupportApiDown", "SupportWorkerDown", "SupportTurnLatencyHigh",
        "SupportTimeToFirstTokenHigh", "SupportProviderErrorRateHigh", "SupportCircuitBreakerOpen",
        "SupportEscalationRateHigh", "SupportNegativeFeedbackHigh", "SupportGuardBlockRateSpike",
        "SupportDailyCostHigh", "SupportAnswerCacheHitRateCollapsed")), alerts.toString());
  }

  @Test
  void should_name_only_exported_metrics_and_labels_in_the_alert_rules() throws IOException {
    Set<String> jobs = scrapedPorts(read(YAML, "prometheus/prometheus.yml")).keySet();
    List<String> problems = new ArrayList<>();
    for (JsonNode group : read(YAML, "prometheus/alerts.yml").get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        String expr = rule.get("expr").asText();
        problems.addAll(check(rule.get("alert").asText(), expr));
        Matcher job = JOB_MATCHER.matcher(expr);
        while (job.find()) {
          for (String name : job.group(1).split("\\|")) {
            if (!jobs.contains(name)) {
              problems.add(rule.get("alert").asText() + ": job " + name + " is not scraped by prometheus.yml");
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  // --- the Grafana dashboard ------------------------------------------------------------------

  @Test
  void should_lay_out_panels_with_unique_ids_and_grid_positions_that_do_not_overlap() throws IOException {
    JsonNode dashboard = read(JSON, "grafana/support-agent-dashboard.json");
    assertFalse(dashboard.path("uid").asText().isBlank());
    assertFalse(dashboard.path("title").asText().isBlank());
    assertTrue(dashboard.path("schemaVersion").isInt());
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      assertTrue(panel.path("id").isInt() && ids.add(panel.get("id").asInt()), "unique id: " + panel.path("id"));
      assertFalse(panel.path("title").asText().isBlank(), "title of panel " + panel.get("id"));
      JsonNode grid = panel.get("gridPos");
      assertTrue(grid != null, "gridPos of " + panel.get("title"));
      int x = grid.get("x").asInt();
      int y = grid.get("y").asInt();
      int w = grid.get("w").asInt();
      int h = grid.get("h").asInt();
      assertTrue(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 24, "gridPos of " + panel.get("title") + ": " + grid);
      for (int[] b : boxes) {
        boolean apart = x + w <= b[0] || b[0] + b[2] <= x || y + h <= b[1] || b[1] + b[3] <= y;
        assertTrue(apart, panel.get("title") + " overlaps another panel at " + grid);
      }
      boxes.add(new int[] {x, y, w, h});
    }
  }

  @Test
  void should_query_through_the_datasource_variable_with_exported_metrics_only() throws IOException {
    JsonNode dashboard = read(JSON, "grafana/support-agent-dashboard.json");
    boolean variable = false;
    for (JsonNode v : dashboard.at("/templating/list")) {
      variable |= v.path("name").asText().equals("DS_PROMETHEUS") && v.path("type").asText().equals("datasource")
          && v.path("query").asText().equals("prometheus");
    }
    assertTrue(variable, "a datasource variable DS_PROMETHEUS of type prometheus");

    List<String> problems = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      String title = panel.get("title").asText();
      assertEquals(DATASOURCE, panel.at("/datasource/uid").asText(), title + ": datasource");
      assertTrue(panel.path("targets").size() > 0, title + ": targets");
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.get("targets")) {
        assertTrue(refIds.add(target.path("refId").asText()), title + ": refIds are unique");
        String expr = target.path("expr").asText();
        assertFalse(expr.isBlank(), title + ": expr");
        problems.addAll(check(title, expr));
        Set<String> kept = labelsAfter(PromQl.parse(expr));
        Matcher legend = LEGEND_LABEL.matcher(target.path("legendFormat").asText());
        while (legend.find()) {
          if (!kept.contains(legend.group(1))) {
            problems.add(title + ": the legend names " + legend.group(1) + ", which the query does not keep");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void should_show_every_exported_support_metric_on_the_dashboard() throws IOException {
    Set<String> shown = new HashSet<>();
    for (JsonNode panel : panels(read(JSON, "grafana/support-agent-dashboard.json"))) {
      panel.path("targets").forEach(t -> shown.addAll(PromQl.parse(t.path("expr").asText()).metrics()));
    }
    Set<String> families = new TreeSet<>();
    Set<String> shownFamilies = new TreeSet<>();
    exported.labels.keySet().stream().filter(n -> n.startsWith("support_")).forEach(n -> families.add(family(n)));
    shown.forEach(n -> shownFamilies.add(family(n)));
    families.removeAll(shownFamilies);
    assertEquals(Set.of(), families, "exported but on no panel");
  }

  @Test
  void should_provision_the_datasource_and_the_dashboard() throws IOException {
    JsonNode datasources = read(YAML, "grafana/provisioning/datasources/prometheus.yml");
    assertEquals(1, datasources.get("apiVersion").asInt());
    assertEquals("prometheus", datasources.at("/datasources/0/type").asText());
    assertFalse(datasources.at("/datasources/0/url").asText().isBlank());

    JsonNode dashboards = read(YAML, "grafana/provisioning/dashboards/support-agent.yml");
    assertEquals(1, dashboards.get("apiVersion").asInt());
    assertEquals("file", dashboards.at("/providers/0/type").asText());
    assertFalse(dashboards.at("/providers/0/options/path").asText().isBlank());
  }

  // --- the checker itself ---------------------------------------------------------------------

  @Test
  void should_find_metrics_matchers_and_grouping_labels_in_an_expression() {
    PromQl q =
        PromQl.parse(
            "histogram_quantile(0.95, sum by (le, tier) (rate(support_turn_first_token_duration_seconds_bucket"
                + "{provider!=\"offline\", tier=~\"fast|strong\"}[$__rate_interval])))"
                + " / on(tier) group_left sum without (x) (up{job=\"a\"} offset 1d) > bool 2");

    assertEquals(Set.of("support_turn_first_token_duration_seconds_bucket", "up"), q.metrics());
    assertEquals(Set.of("provider", "tier"), q.matcherLabels().get("support_turn_first_token_duration_seconds_bucket"));
    assertEquals(Set.of("le", "tier", "x"), q.groupingLabels());
    assertTrue(q.aggregates());
  }

  @Test
  void should_refuse_unbalanced_brackets_and_open_strings() {
    assertFalse(PromQl.balanced("sum(rate(x[5m])"));
    assertFalse(PromQl.balanced("x{a=\"b}"));
    assertFalse(PromQl.balanced("sum(x])"));
    assertTrue(PromQl.balanced("x{a=\")]\"}"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.parse("rate(x[5m]"));
  }

  @Test
  void should_report_a_metric_or_label_that_is_not_exported() {
    assertEquals(
        List.of("t: support_turn_latency_seconds_bucket is not exported",
            "t: support_feedback_total has no label score (it has [otel_scope_name, rating])",
            "t: grouping by colour: no series here has that label",
            "t: no such function: histogram_quantil"),
        check("t", "histogram_quantil(0.9, rate(support_turn_latency_seconds_bucket[5m]))"
            + " + sum by (colour) (support_feedback_total{score=\"1\"})"));
  }

  // --- helpers --------------------------------------------------------------------------------

  /** What is wrong with an expression's names, given what the processes export. */
  static List<String> check(String where, String expr) {
    List<String> problems = new ArrayList<>();
    if (!PromQl.balanced(expr)) {
      problems.add(where + ": unbalanced brackets: " + expr);
      return problems;
    }
    PromQl q = PromQl.parse(expr);
    if (q.metrics().isEmpty()) {
      problems.add(where + ": no metric in " + expr);
    }
    Set<String> available = new TreeSet<>(TARGET_LABELS);
    for (String metric : q.metrics()) {
      Set<String> labels = labelsOf(metric);
      if (labels == null) {
        problems.add(where + ": " + metric + " is not exported");
        continue;
      }
      available.addAll(labels);
      for (String label : q.matcherLabels().getOrDefault(metric, Set.of())) {
        if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
          problems.add(where + ": " + metric + " has no label " + label + " (it has " + new TreeSet<>(labels) + ")");
        }
      }
    }
    for (String label : q.groupingLabels()) {
      if (!available.contains(label)) {
        problems.add(where + ": grouping by " + label + ": no series here has that label");
      }
    }
    for (String function : q.functions()) {
      if (!PromQl.FUNCTIONS.contains(function) && !PromQl.AGGREGATIONS.contains(function)) {
        problems.add(where + ": no such function: " + function);
      }
    }
    return problems;
  }

  static Set<String> labelsOf(String metric) {
    Set<String> labels = exported.labels.get(metric);
    return labels != null ? labels : PROMETHEUS_SERIES.get(metric);
  }

  /** The labels a result keeps: those grouped by when it aggregates, else its series' own. */
  static Set<String> labelsAfter(PromQl q) {
    if (q.aggregates()) {
      return q.groupingLabels();
    }
    Set<String> labels = new HashSet<>(TARGET_LABELS);
    q.metrics().forEach(m -> labels.addAll(labelsOf(m) == null ? Set.of() : labelsOf(m)));
    return labels;
  }

  static String family(String series) {
    return series.replaceFirst("_(bucket|sum|count)$", "");
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      all.add(panel);
      panel.path("panels").forEach(all::add);
    }
    return all;
  }

  static void assertDuration(String value, String what) {
    if (value.isEmpty() || !DURATION.matcher(value).matches()) {
      fail(what + " is not a Prometheus duration: '" + value + "'");
    }
  }
}
