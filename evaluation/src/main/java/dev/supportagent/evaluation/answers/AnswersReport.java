package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes an answers run to a folder: {@code metrics.json} (what the suite prints), {@code
 * rows.jsonl} (one result per question), {@code report.md} and {@code report.html} (the same
 * tables, the HTML with inline SVG charts and no external script or style).
 */
public final class AnswersReport {

  /** Wrongly handled questions listed in the reports. */
  static final int WRONG_LISTED = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Bar(String label, Double value, double[] ci) {}

  private AnswersReport() {}

  public static void write(Path dir, String title, JsonNode metrics, List<AnswerRow> rows) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metrics));
    List<String> lines = new ArrayList<>();
    for (AnswerRow r : rows) {
      lines.add(JSON.writeValueAsString(r.toJson()));
    }
    Files.write(dir.resolve("rows.jsonl"), lines, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.md"), markdown(title, metrics, rows));
    Files.writeString(dir.resolve("report.html"), html(title, metrics, rows));
  }

  static String markdown(String title, JsonNode m, List<AnswerRow> rows) {
    StringBuilder md = new StringBuilder();
    md.append("# Answers: ").append(title).append("\n\n");
    md.append(summary(m)).append("\n\n");
    md.append("| metric | value | 95 % interval | rows scored |\n| --- | ---: | ---: | ---: |\n");
    md.append(row("accuracy", m.path("accuracy"), m.at("/ci95/accuracy"), m.path("n").asText()));
    for (String key : AnswersMetrics.SCORE_ORDER) {
      md.append(row(key, m.path(key), m.path("ci95").path(key), m.at("/n_scored/" + key).asText()));
    }
    md.append("\n## By expectation\n\n| expect | n | accuracy | 95 % interval | behaviours |\n"
        + "| --- | ---: | ---: | ---: | --- |\n");
    m.path("by_expect").fields().forEachRemaining(e -> md.append("| ").append(e.getKey()).append(" | ")
        .append(e.getValue().path("n").asText()).append(" | ").append(number(e.getValue().path("accuracy")))
        .append(" | ").append(interval(m.path("ci95").path("by_expect." + e.getKey() + ".accuracy")))
        .append(" | ").append(behaviours(e.getValue().path("behaviours"))).append(" |\n"));
    md.append("\n## Latency, tokens, cost\n\n| latency p50 ms | p95 ms | p95 interval | tokens in | tokens out | cost USD |\n"
        + "| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    md.append("| ").append(number(m.at("/latency_ms/p50"))).append(" | ").append(number(m.at("/latency_ms/p95")))
        .append(" | ").append(interval(m.path("ci95").path("latency_ms.p95"))).append(" | ")
        .append(m.at("/tokens/input").asText()).append(" | ").append(m.at("/tokens/output").asText()).append(" | ")
        .append(m.path("cost_usd").asText()).append(" |\n");
    List<AnswerRow> wrong = wrong(rows);
    if (!wrong.isEmpty()) {
      md.append("\n## Wrong behaviour (first ").append(WRONG_LISTED).append(")\n\n| id | expect | behaviour | reason | reply |\n"
          + "| --- | --- | --- | --- | --- |\n");
      for (AnswerRow r : wrong) {
        md.append("| ").append(cell(r.id())).append(" | ").append(r.expect()).append(" | ").append(r.behaviour().label())
            .append(" | ").append(cell(r.reason())).append(" | ")
            .append(cell(r.error() != null ? r.error() : shorten(r.reply(), 200))).append(" |\n");
      }
    }
    return md.toString();
  }

  static String html(String title, JsonNode m, List<AnswerRow> rows) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Answers: ").append(escape(title))
        .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
            + "td.n{text-align:right}svg{display:block;margin:1em 0}</style></head><body>\n");
    h.append("<h1>Answers: ").append(escape(title)).append("</h1>\n<p>").append(escape(summary(m))).append("</p>\n");

    List<Bar> quality = new ArrayList<>();
    quality.add(new Bar("accuracy", value(m.path("accuracy")), ci(m.at("/ci95/accuracy"))));
    for (String key : AnswersMetrics.SCORE_ORDER) {
      quality.add(new Bar(key, value(m.path(key)), ci(m.path("ci95").path(key))));
    }
    h.append("<h2>Quality, with 95 % intervals</h2>\n").append(barChart(quality));
    h.append("<table><tr><th>metric</th><th>value</th><th>95 % interval</th><th>rows scored</th></tr>\n");
    for (Bar b : quality) {
      String scored = b.label().equals("accuracy") ? m.path("n").asText() : m.at("/n_scored/" + b.label()).asText();
      h.append("<tr><td>").append(b.label()).append("</td><td class=n>").append(number(b.value()))
          .append("</td><td class=n>").append(interval(b.ci())).append("</td><td class=n>").append(scored)
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    List<Bar> byExpect = new ArrayList<>();
    h.append("<h2>Accuracy by expectation</h2>\n");
    StringBuilder table = new StringBuilder(
        "<table><tr><th>expect</th><th>n</th><th>accuracy</th><th>95 % interval</th><th>behaviours</th></tr>\n");
    m.path("by_expect").fields().forEachRemaining(e -> {
      double[] interval = ci(m.path("ci95").path("by_expect." + e.getKey() + ".accuracy"));
      byExpect.add(new Bar(e.getKey(), value(e.getValue().path("accuracy")), interval));
      table.append("<tr><td>").append(escape(e.getKey())).append("</td><td class=n>").append(e.getValue().path("n").asText())
          .append("</td><td class=n>").append(number(e.getValue().path("accuracy"))).append("</td><td class=n>")
          .append(interval(interval)).append("</td><td>").append(escape(behaviours(e.getValue().path("behaviours"))))
          .append("</td></tr>\n");
    });
    h.append(barChart(byExpect)).append(table).append("</table>\n");

    h.append("<h2>Latency</h2>\n").append(histogram(
        rows.stream().map(AnswerRow::latencyMs).filter(Objects::nonNull).toList()));
    h.append("<table><tr><th>p50 ms</th><th>p95 ms</th><th>p95 interval</th><th>max ms</th><th>tokens in</th>"
        + "<th>tokens out</th><th>cost USD</th></tr>\n<tr><td class=n>").append(number(m.at("/latency_ms/p50")))
        .append("</td><td class=n>").append(number(m.at("/latency_ms/p95"))).append("</td><td class=n>")
        .append(interval(ci(m.path("ci95").path("latency_ms.p95")))).append("</td><td class=n>")
        .append(number(m.at("/latency_ms/max"))).append("</td><td class=n>").append(m.at("/tokens/input").asText())
        .append("</td><td class=n>").append(m.at("/tokens/output").asText()).append("</td><td class=n>")
        .append(m.path("cost_usd").asText()).append("</td></tr></table>\n");

    List<AnswerRow> wrong = wrong(rows);
    if (!wrong.isEmpty()) {
      h.append("<h2>Wrong behaviour (first ").append(WRONG_LISTED).append(")</h2>\n<table><tr><th>id</th><th>expect</th>"
          + "<th>behaviour</th><th>reason</th><th>reply</th></tr>\n");
      for (AnswerRow r : wrong) {
        h.append("<tr><td>").append(escape(r.id())).append("</td><td>").append(r.expect()).append("</td><td>")
            .append(r.behaviour().label()).append("</td><td>").append(escape(Objects.toString(r.reason(), "")))
            .append("</td><td>").append(escape(r.error() != null ? r.error() : shorten(r.reply(), 300)))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  /** Bars on a 0 to 1 scale, each with its interval as a whisker; a null value draws no bar. */
  static String barChart(List<Bar> bars) {
    int left = 40;
    int top = 10;
    int plotHeight = 200;
    int slot = 90;
    int width = left + slot * Math.max(1, bars.size()) + 10;
    int height = top + plotHeight + 90;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"11\">%n",
        width, height, width, height));
    for (int i = 0; i <= 4; i++) {
      double y = top + plotHeight - plotHeight * i / 4.0;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n",
          left, y, width - 10, y, left - 4, y + 4, i / 4.0));
    }
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double x = left + slot * i + slot * 0.2;
      double w = slot * 0.6;
      if (b.value() != null) {
        double v = clamp(b.value());
        s.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7fb5\"><title>%s %.4f</title></rect>%n",
            x, top + plotHeight * (1 - v), w, plotHeight * v, escape(b.label()), b.value()));
      }
      if (b.ci() != null) {
        double cx = x + w / 2;
        double yLo = top + plotHeight * (1 - clamp(b.ci()[0]));
        double yHi = top + plotHeight * (1 - clamp(b.ci()[1]));
        s.append(String.format(Locale.ROOT,
            "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh12M%.1f %.1fh12\" stroke=\"#222\" fill=\"none\"/>%n",
            cx, yLo, yHi, cx - 6, yLo, cx - 6, yHi));
      }
      double lx = x + w / 2;
      double ly = top + plotHeight + 14;
      s.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %.1f)\">%s</text>%n",
          lx, ly, lx, ly, escape(b.label())));
    }
    return s.append("</svg>\n").toString();
  }

  /** Counts of latencies in twelve equal bins from 0 to the largest. */
  static String histogram(List<Double> values) {
    int bins = 12;
    int left = 40;
    int top = 10;
    int plotHeight = 160;
    int binWidth = 45;
    int width = left + bins * binWidth + 20;
    int height = top + plotHeight + 40;
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double step = max <= 0 ? 1 : max / bins;
    int[] counts = new int[bins];
    for (double v : values) {
      counts[Math.min(bins - 1, (int) (v / step))]++;
    }
    int most = Math.max(1, java.util.Arrays.stream(counts).max().orElse(1));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"11\">%n",
        width, height, width, height));
    s.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n",
        left - 4, top + 8, most, left - 4, top + plotHeight));
    for (int i = 0; i < bins; i++) {
      double h = plotHeight * counts[i] / (double) most;
      double x = left + i * binWidth;
      s.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#7a9e5a\"><title>%.0f–%.0f ms: %d</title></rect>%n",
          x + 1, top + plotHeight - h, binWidth - 2, h, i * step, (i + 1) * step, counts[i]));
      if (i % 2 == 0) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.0f</text>%n", x, top + plotHeight + 14, i * step));
      }
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">ms (%d replies)</text>%n",
        left, top + plotHeight + 32, values.size()));
    return s.append("</svg>\n").toString();
  }

  private static List<AnswerRow> wrong(List<AnswerRow> rows) {
    return rows.stream().filter(r -> !r.correct()).limit(WRONG_LISTED).toList();
  }

  private static String summary(JsonNode m) {
    return m.path("n").asText() + " questions, " + m.path("errors").asText() + " without a reply; 95 % percentile"
        + " bootstrap intervals over " + m.at("/bootstrap/resamples").asText() + " resamples (seed "
        + m.at("/bootstrap/seed").asText() + ").";
  }

  private static String row(String key, JsonNode value, JsonNode ci, String scored) {
    return "| " + key + " | " + number(value) + " | " + interval(ci) + " | " + scored + " |\n";
  }

  private static String behaviours(JsonNode counts) {
    List<String> parts = new ArrayList<>();
    counts.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
    return String.join(", ", parts);
  }

  private static Double value(JsonNode n) {
    return n.isNumber() ? n.asDouble() : null;
  }

  private static double[] ci(JsonNode n) {
    return n.isArray() && n.size() == 2 ? new double[] {n.get(0).asDouble(), n.get(1).asDouble()} : null;
  }

  private static String number(JsonNode n) {
    return number(value(n));
  }

  private static String number(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String interval(JsonNode ci) {
    return interval(ci(ci));
  }

  private static String interval(double[] ci) {
    return ci == null ? "–" : number(ci[0]) + " – " + number(ci[1]);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replaceAll("\\s+", " ");
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
