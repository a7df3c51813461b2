package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The input chain's settings: {@code guard/input-guard.properties} on the classpath, overridden
 * by the properties file named in {@value #FILE_VARIABLE}, then by variables {@value
 * #VARIABLE_PREFIX}{@code <KEY>}. {@link #load} reports every unknown key and bad value at once.
 *
 * @param order content scanners in order (the shape limits and normalisation always run first)
 * @param classifier a classpath resource or file with the attack classifier, or null for none
 * @param classifierThreshold the classifier's threshold, or NaN for the one stored with it
 * @param harmfulClassifier a classpath resource or file with the harmful-request classifier, or
 *     null for none (the harmful scanner's weak rules then read the injection classifier)
 * @param harmfulThreshold its threshold, or NaN for the one stored with it
 * @param kbDiscount how the knowledge base's own vocabulary weighs in the injection scanner
 */
public record InputGuardConfig(
    List<String> order,
    boolean stopOnBlock,
    ShapeScanner.Limits shape,
    GuardAction injectionAction,
    String classifier,
    double classifierThreshold,
    double injectionWeakRuleThreshold,
    GuardAction harmfulAction,
    GuardAction selfHarmAction,
    double harmfulWeakRuleThreshold,
    GuardAction abuseAction,
    GuardAction humanRequestAction,
    GuardAction offTopicAction,
    double offTopicMinSimilarity,
    PassageScanner.Mode passageAction,
    String harmfulClassifier,
    double harmfulThreshold,
    RuleScanner.KbDiscount kbDiscount) {

  public static final String RESOURCE = "guard/input-guard.properties";
  public static final String FILE_VARIABLE = "SUPPORT_GUARD_INPUT_FILE";
  public static final String VARIABLE_PREFIX = "SUPPORT_GUARD_INPUT_";

  /** The scanners this module provides; others (pii) are added in code. */
  public static final Set<String> BUILT_IN =
      Set.of("prompt_injection", "harmful", "abuse", "human_request", "off_topic");

  static final List<String> KEYS =
      List.of(
          "order", "stop_on_block",
          "shape.max_chars", "shape.max_lines", "shape.max_repeated_chars", "shape.max_control_share",
          "prompt_injection.action", "prompt_injection.classifier", "prompt_injection.threshold",
          "prompt_injection.weak_rule_threshold",
          "prompt_injection.kb_min_share", "prompt_injection.kb_min_passages", "prompt_injection.kb_discount",
          "harmful.action", "harmful.self_harm_action", "harmful.weak_rule_threshold",
          "harmful.classifier", "harmful.threshold",
          "abuse.action", "human_request.action",
          "off_topic.action", "off_topic.min_similarity",
          "passage.action");

  public InputGuardConfig {
    order = List.copyOf(order);
  }

  /** The defaults alone, as shipped. */
  public static InputGuardConfig defaults() {
    return load(Map.of());
  }

  /**
   * Reads the defaults, the file named in {@code env}, and the variables in {@code env}.
   *
   * @throws IllegalArgumentException naming every unknown key and bad value
   */
  public static InputGuardConfig load(Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>(read(defaultsResource()));
    List<String> errors = new ArrayList<>();
    String file = env.get(FILE_VARIABLE);
    if (file != null && !file.isBlank()) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        errors.add(FILE_VARIABLE + ": cannot read " + file);
      } else {
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          Properties p = new Properties();
          p.load(in);
          for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
              errors.add(file + ": unknown key " + key);
            }
            values.put(key, p.getProperty(key).strip());
          }
        } catch (IOException e) {
          errors.add(FILE_VARIABLE + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(VARIABLE_PREFIX) || name.equals(FILE_VARIABLE)) {
        continue;
      }
      String key = keyOf(name);
      if (key == null) {
        errors.add(name + ": unknown setting (known: " + String.join(", ", KEYS.stream().map(InputGuardConfig::variable).toList()) + ")");
      } else {
        values.put(key, e.getValue().strip());
      }
    }
    return parse(values, errors);
  }

  /** The environment variable that overrides {@code key}. */
  public static String variable(String key) {
    return VARIABLE_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static String keyOf(String variable) {
    for (String key : KEYS) {
      if (variable(key).equals(variable)) {
        return key;
      }
    }
    return null;
  }

  /** Parses a complete map of settings (tests pass one). */
  public static InputGuardConfig parse(Map<String, String> values, List<String> earlierErrors) {
    Parser p = new Parser(values, new ArrayList<>(earlierErrors));
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        p.errors.add("unknown key " + key);
      }
    }
    List<String> order = p.order("order");
    InputGuardConfig config =
        new InputGuardConfig(
            order,
            p.bool("stop_on_block"),
            new ShapeScanner.Limits(
                p.integer("shape.max_chars", 1),
                p.integer("shape.max_lines", 1),
                p.integer("shape.max_repeated_chars", 2),
                p.fraction("shape.max_control_share")),
            p.action("prompt_injection.action"),
            p.classifier("prompt_injection.classifier"),
            p.optionalFraction("prompt_injection.threshold"),
            p.fraction("prompt_injection.weak_rule_threshold"),
            p.action("harmful.action"),
            p.action("harmful.self_harm_action"),
            p.fraction("harmful.weak_rule_threshold"),
            p.action("abuse.action"),
            p.action("human_request.action"),
            p.action("off_topic.action"),
            p.cosine("off_topic.min_similarity"),
            p.passageMode("passage.action"),
            p.classifier("harmful.classifier"),
            p.optionalFraction("harmful.threshold"),
            new RuleScanner.KbDiscount(
                p.fraction("prompt_injection.kb_min_share"),
                p.integer("prompt_injection.kb_min_passages", 1),
                p.fraction("prompt_injection.kb_discount")));
    if (!p.errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid input guard configuration:\n  " + String.join("\n  ", p.errors));
    }
    return config;
  }

  private static Map<String, String> read(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      m.put(key, p.getProperty(key).strip());
    }
    return m;
  }

  private static Properties defaultsResource() {
    try (InputStream in = InputGuardConfig.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Parser {
    final Map<String, String> values;
    final List<String> errors;

    Parser(Map<String, String> values, List<String> errors) {
      this.values = values;
      this.errors = errors;
    }

    private String raw(String key) {
      String v = values.get(key);
      if (v == null) {
        errors.add(key + " is missing");
      }
      return v;
    }

    private void bad(String key, String value, String expected) {
      errors.add(key + " (" + variable(key) + "): expected " + expected + ", got '" + value + "'");
    }

    List<String> order(String key) {
      String v = raw(key);
      if (v == null) {
        return List.of();
      }
      Set<String> names = new LinkedHashSet<>();
      for (String part : v.split(",")) {
        String name = part.strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
          bad(key, v, "scanner names (lower case, digits, underscores) separated by commas");
          return List.of();
        }
        if (!names.add(name)) {
          errors.add(key + ": " + name + " is listed twice");
        }
      }
      return List.copyOf(names);
    }

    boolean bool(String key) {
      String v = raw(key);
      if (v == null) {
        return false;
      }
      if (!v.equals("true") && !v.equals("false")) {
        bad(key, v, "true or false");
      }
      return v.equals("true");
    }

    int integer(String key, int min) {
      String v = raw(key);
      if (v == null) {
        return min;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      bad(key, v, "a whole number of at least " + min);
      return min;
    }

    double fraction(String key) {
      String v = raw(key);
      if (v == null) {
        return 0;
      }
      double d = number(key, v);
      if (!(d >= 0 && d <= 1)) {
        bad(key, v, "a number from 0 to 1");
      }
      return d;
    }

    double optionalFraction(String key) {
      String v = values.get(key);
      if (v == null || v.isEmpty()) {
        return Double.NaN;
      }
      double d = number(key, v);
      if (!(d > 0 && d < 1)) {
        bad(key, v, "a number between 0 and 1, or nothing for the classifier's own");
        return Double.NaN;
      }
      return d;
    }

    double cosine(String key) {
      String v = raw(key);
      if (v == null) {
        return 0;
      }
      double d = number(key, v);
      if (!(d >= -1 && d <= 1)) {
        bad(key, v, "a cosine from -1 to 1");
      }
      return d;
    }

    private double number(String key, String v) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }

    GuardAction action(String key) {
      String v = raw(key);
      if (v == null) {
        return GuardAction.BLOCK;
      }
      try {
        return GuardAction.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        bad(key, v, "allow, redact, block or escalate");
        return GuardAction.BLOCK;
      }
    }

    String classifier(String key) {
      String v = raw(key);
      if (v == null || v.equals("none")) {
        return null;
      }
      if (v.isEmpty()) {
        bad(key, v, "a classpath resource, a file, or none");
        return null;
      }
      return v;
    }

    PassageScanner.Mode passageMode(String key) {
      String v = raw(key);
      if (v == null) {
        return PassageScanner.Mode.DROP;
      }
      try {
        return PassageScanner.Mode.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        bad(key, v, "drop or neutralise");
        return PassageScanner.Mode.DROP;
      }
    }
  }
}
