package dev.supportagent.activities.filter;

import dev.supportagent.activities.pii.PiiType;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The output guard's order, thresholds and actions: the {@code output-guard.properties} resource,
 * then a file named in {@code SUPPORT_OUTPUT_GUARD_FILE}, then {@code SUPPORT_OUTPUT_GUARD_<KEY>}
 * environment variables. Unknown keys, unknown scanners, actions a scanner cannot take and
 * out-of-range numbers are all reported at once in one {@link IllegalArgumentException}.
 */
public record OutputGuardConfig(
    List<String> scanners,
    String safeAnswer,
    String escalateAnswer,
    ScanAction promptLeakAction,
    int promptLeakNgramWords,
    ScanAction harmfulOutputAction,
    ScanAction piiLeakAction,
    Set<PiiType> piiLeakTypes,
    ScanAction citationsAction,
    ScanAction groundingAction,
    double groundingMinScore,
    double groundingMinSentenceSupport,
    ScanAction lengthAction,
    int lengthMaxChars) {

  public static final String RESOURCE = "/output-guard.properties";
  public static final String FILE_VARIABLE = "SUPPORT_OUTPUT_GUARD_FILE";
  public static final String ENV_PREFIX = "SUPPORT_OUTPUT_GUARD_";

  /** Every scanner and the actions it can take. */
  static final Map<String, Set<ScanAction>> SCANNERS =
      Map.of(
          PromptLeakScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.REPLACE, ScanAction.ESCALATE),
          HarmfulOutputScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.REPLACE, ScanAction.ESCALATE),
          PiiLeakScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.MASK, ScanAction.REPLACE, ScanAction.ESCALATE),
          CitationScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.MASK, ScanAction.REPLACE, ScanAction.ESCALATE),
          GroundingScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.REPLACE, ScanAction.ESCALATE),
          LengthScanner.NAME, EnumSet.of(ScanAction.ALLOW, ScanAction.TRUNCATE, ScanAction.REPLACE, ScanAction.ESCALATE));

  static final List<String> KEYS =
      List.of(
          "scanners", "safe_answer", "escalate_answer", "prompt_leak.action", "prompt_leak.ngram_words",
          "harmful_output.action", "pii_leak.action", "pii_leak.types", "citations.action", "grounding.action",
          "grounding.min_score", "grounding.min_sentence_support", "length.action", "length.max_chars");

  public OutputGuardConfig {
    scanners = List.copyOf(scanners);
    piiLeakTypes = Set.copyOf(piiLeakTypes);
  }

  /** The built-in defaults alone. */
  public static OutputGuardConfig defaults() {
    return parse(defaultValues(), "output-guard.properties");
  }

  /** Defaults, then the file in {@code SUPPORT_OUTPUT_GUARD_FILE}, then the environment. */
  public static OutputGuardConfig fromEnv(Map<String, String> env) {
    Map<String, String> values = defaultValues();
    List<String> problems = new ArrayList<>();
    String file = env.get(FILE_VARIABLE);
    if (file != null && !file.isBlank()) {
      try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        java.util.Properties p = new java.util.Properties();
        p.load(reader);
        for (String key : p.stringPropertyNames()) {
          if (!KEYS.contains(key)) {
            problems.add(file + ": unknown key " + key + " (known: " + String.join(", ", KEYS) + ")");
          } else {
            values.put(key, p.getProperty(key).strip());
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        problems.add(FILE_VARIABLE + "=" + file + ": cannot read it (" + e.getMessage() + ")");
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX) || e.getKey().equals(FILE_VARIABLE)) {
        continue;
      }
      String key = keyOf(e.getKey());
      if (key == null) {
        problems.add(e.getKey() + ": unknown setting (known: " + String.join(", ", KEYS.stream().map(OutputGuardConfig::variableOf).toList()) + ")");
      } else {
        values.put(key, e.getValue().strip());
      }
    }
    return parse(values, "output guard", problems);
  }

  /** {@code grounding.min_score} → {@code SUPPORT_OUTPUT_GUARD_GROUNDING_MIN_SCORE}. */
  public static String variableOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static String keyOf(String variable) {
    for (String key : KEYS) {
      if (variableOf(key).equals(variable)) {
        return key;
      }
    }
    return null;
  }

  static Map<String, String> defaultValues() {
    try (InputStream in = OutputGuardConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      java.util.Properties p = new java.util.Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> values = new LinkedHashMap<>();
      p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OutputGuardConfig parse(Map<String, String> values, String source) {
    return parse(values, source, new ArrayList<>());
  }

  private static OutputGuardConfig parse(Map<String, String> v, String source, List<String> problems) {
    for (String key : KEYS) {
      if (v.get(key) == null) {
        problems.add(key + " is missing");
      }
    }
    if (!problems.isEmpty() && problems.stream().anyMatch(p -> p.endsWith("is missing"))) {
      throw invalid(source, problems);
    }
    List<String> scanners = new ArrayList<>();
    for (String name : v.get("scanners").split(",")) {
      String s = name.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (!SCANNERS.containsKey(s)) {
        problems.add(show("scanners") + ": unknown scanner '" + s + "' (known: " + String.join(", ", new TreeMap<>(SCANNERS).keySet()) + ")");
      } else if (scanners.contains(s)) {
        problems.add(show("scanners") + ": " + s + " is listed twice");
      } else {
        scanners.add(s);
      }
    }
    String safe = v.get("safe_answer");
    String escalate = v.get("escalate_answer");
    if (safe.isBlank()) {
      problems.add(show("safe_answer") + " must not be empty");
    }
    if (escalate.isBlank()) {
      problems.add(show("escalate_answer") + " must not be empty");
    }
    Set<PiiType> types = EnumSet.noneOf(PiiType.class);
    for (String t : v.get("pii_leak.types").split(",")) {
      if (t.isBlank()) {
        continue;
      }
      try {
        types.add(PiiType.valueOf(t.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add(show("pii_leak.types") + ": unknown type '" + t.strip() + "' (known: " + List.of(PiiType.values()) + ")");
      }
    }
    if (types.isEmpty() && scanners.contains(PiiLeakScanner.NAME)) {
      problems.add(show("pii_leak.types") + " must name at least one type while pii_leak runs");
    }
    OutputGuardConfig config =
        new OutputGuardConfig(
            scanners, safe, escalate,
            action(v, PromptLeakScanner.NAME, problems),
            integer(v, "prompt_leak.ngram_words", 3, 100, problems),
            action(v, HarmfulOutputScanner.NAME, problems),
            action(v, PiiLeakScanner.NAME, problems),
            types,
            action(v, CitationScanner.NAME, problems),
            action(v, GroundingScanner.NAME, problems),
            fraction(v, "grounding.min_score", problems),
            fraction(v, "grounding.min_sentence_support", problems),
            action(v, LengthScanner.NAME, problems),
            integer(v, "length.max_chars", 50, 100_000, problems));
    if (!problems.isEmpty()) {
      throw invalid(source, problems);
    }
    return config;
  }

  private static IllegalArgumentException invalid(String source, List<String> problems) {
    return new IllegalArgumentException(
        "invalid " + source + " configuration:\n  " + String.join("\n  ", problems));
  }

  /** A key as the operator may have set it: the key and its variable. */
  private static String show(String key) {
    return key + " (" + variableOf(key) + ")";
  }

  private static ScanAction action(Map<String, String> v, String scanner, List<String> problems) {
    String key = scanner + ".action";
    String raw = v.get(key).strip();
    Set<ScanAction> allowed = SCANNERS.get(scanner);
    for (ScanAction a : allowed) {
      if (a.configName().equals(raw.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    problems.add(show(key) + ": '" + raw + "' is not one of " + allowed.stream().map(ScanAction::configName).toList());
    return ScanAction.ALLOW;
  }

  private static int integer(Map<String, String> v, String key, int min, int max, List<String> problems) {
    try {
      int n = Integer.parseInt(v.get(key).strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(show(key) + ": '" + v.get(key) + "' is not a whole number from " + min + " to " + max);
    return min;
  }

  private static double fraction(Map<String, String> v, String key, List<String> problems) {
    try {
      double d = Double.parseDouble(v.get(key).strip());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(show(key) + ": '" + v.get(key) + "' is not a number from 0 to 1");
    return 0;
  }
}
