package dev.supportagent.worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a PromQL expression refers to, read by a small scanner (not a full parser): the metric
 * names it selects, the label names of each selector's matchers, and the label names it groups
 * by ({@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left/right}). Enough
 * to check the names against what the processes export; the grammar itself is promtool's job.
 */
record PromQl(
    String expression,
    Set<String> metrics,
    Map<String, Set<String>> matcherLabels,
    Set<String> groupingLabels,
    boolean aggregates,
    Set<String> functions) {

  static final Set<String> AGGREGATIONS =
      Set.of("sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "quantile",
          "count_values", "group", "limitk", "limit_ratio");
  static final Set<String> FUNCTIONS =
      Set.of("abs", "absent", "absent_over_time", "avg_over_time", "ceil", "changes", "clamp", "clamp_max",
          "clamp_min", "count_over_time", "delta", "deriv", "exp", "floor", "histogram_quantile", "holt_winters",
          "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log2", "log10",
          "max_over_time", "min_over_time", "predict_linear", "present_over_time", "quantile_over_time", "rate",
          "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time",
          "sum_over_time", "time", "timestamp", "vector", "day_of_week", "hour", "minute", "month", "year");
  private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan");

  /** Whether every bracket closes, in order, outside strings. */
  static boolean balanced(String expr) {
    Deque<Character> open = new ArrayDeque<>();
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i);
        if (i < 0) {
          return false;
        }
      } else if (c == '(' || c == '[' || c == '{') {
        open.push(c);
      } else if (c == ')' || c == ']' || c == '}') {
        char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (open.isEmpty() || open.pop() != expected) {
          return false;
        }
      }
    }
    return open.isEmpty();
  }

  static PromQl parse(String expr) {
    if (!balanced(expr)) {
      throw new IllegalArgumentException("unbalanced brackets or an open string: " + expr);
    }
    Set<String> metrics = new LinkedHashSet<>();
    Map<String, Set<String>> matchers = new LinkedHashMap<>();
    Set<String> grouping = new LinkedHashSet<>();
    Set<String> functions = new LinkedHashSet<>();
    boolean aggregates = false;
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i) + 1;
      } else if (c == '#') {
        while (i < n && expr.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
      } else if (c == '{') {
        i = matchers(expr, i, matchers.computeIfAbsent("", k -> new LinkedHashSet<>()));
      } else if (c == '$') {
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || "_{}".indexOf(expr.charAt(i)) >= 0)) {
          i++;
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        if (GROUPING.contains(word)) {
          if (next < n && expr.charAt(next) == '(') {
            int close = expr.indexOf(')', next);
            for (String label : expr.substring(next + 1, close).split(",")) {
              if (!label.isBlank()) {
                grouping.add(label.strip());
              }
            }
            i = close + 1;
          }
        } else if (KEYWORDS.contains(word)) {
          // operators and modifiers
        } else if (AGGREGATIONS.contains(word)) {
          aggregates = true;
          functions.add(word);
        } else if (next < n && expr.charAt(next) == '(') {
          functions.add(word);
        } else {
          metrics.add(word);
          if (next < n && expr.charAt(next) == '{') {
            i = matchers(expr, next, matchers.computeIfAbsent(word, k -> new LinkedHashSet<>()));
          }
        }
      } else {
        i++;
      }
    }
    return new PromQl(expr, metrics, matchers, grouping, aggregates, functions);
  }

  /** Reads {@code {a="x", b!~"y"}} from the brace at {@code open}; returns the index after it. */
  private static int matchers(String expr, int open, Set<String> labels) {
    int i = open + 1;
    while (true) {
      i = skipSpace(expr, i);
      if (expr.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_') {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("a label name expected at " + start + ": " + expr);
      }
      labels.add(expr.substring(start, i));
      i = skipSpace(expr, i);
      if (expr.startsWith("=~", i) || expr.startsWith("!=", i) || expr.startsWith("!~", i)) {
        i += 2;
      } else if (expr.charAt(i) == '=') {
        i++;
      } else {
        throw new IllegalArgumentException("a matcher operator expected at " + i + ": " + expr);
      }
      i = skipSpace(expr, i);
      char quote = expr.charAt(i);
      if (quote != '"' && quote != '\'' && quote != '`') {
        throw new IllegalArgumentException("a quoted label value expected at " + i + ": " + expr);
      }
      i = skipSpace(expr, endOfString(expr, i) + 1);
      if (expr.charAt(i) == ',') {
        i++;
      }
    }
  }

  private static int skipSpace(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index of the quote that closes the string opened at {@code open}, or -1. */
  private static int endOfString(String expr, int open) {
    char quote = expr.charAt(open);
    for (int i = open + 1; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return -1;
  }
}
