package dev.supportagent.activities.pii;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.filter.OutputGuardConfig;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every regular expression of the PII detector and the output filters, found by reflection (each
 * static {@link Pattern} field, and each Pattern in a static map, of every class in the {@code
 * pii} and {@code filter} packages, so a new one is covered without being listed), must scan each
 * hostile 50,000-character text in under 200 ms of CPU time: none may backtrack catastrophically.
 */
class RegexSafetyTest {

  static final int LENGTH = 50_000;
  static final long MAX_MILLIS_PER_SCAN = 200;
  static final List<String> PACKAGES = List.of("dev.supportagent.activities.pii", "dev.supportagent.activities.filter");

  static Map<String, String> hostileInputs() {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (String unit :
        List.of(
            "a", "1", "1 ", "1-", "1.", "1:", "a@", "a.", "+(", "(1", "Ab ", "Aa", "aA1", "A. ", "eyJa.", "[1", "[A_",
            "GB82 ", "12 Aa ", "Rue de ", "my name is Aa ", "from Aa ", "Aa Bb\n", "é", "sk-a", "ghp_", "xoxb-", "ab:",
            "0 0 ", "x1", "you are ", "all aa ", "\n")) {
      inputs.put("'" + unit.replace("\n", "\\n") + "' repeated", unit.repeat(LENGTH / unit.length() + 1).substring(0, LENGTH));
    }
    Random random = new Random(42);
    String alphabet = "aA1 .-@:+()[]_/\n,'é";
    StringBuilder mixed = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      mixed.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    inputs.put("random mix", mixed.toString());
    inputs.put("a long e-mail local part", "a".repeat(LENGTH - 1) + "@");
    inputs.put("a long almost-IPv6", "1:".repeat(LENGTH / 2 - 1) + "x");
    return inputs;
  }

  static Map<String, Pattern> allPatterns() throws Exception {
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    for (String pkg : PACKAGES) {
      for (Class<?> type : classesIn(pkg)) {
        for (Field field : type.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            continue;
          }
          field.setAccessible(true);
          Object value = field.get(null);
          String name = type.getSimpleName() + "." + field.getName();
          if (value instanceof Pattern p) {
            patterns.put(name, p);
          } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
              if (v instanceof Pattern p) {
                patterns.put(name + "[" + k + "]", p);
              }
            });
          }
        }
      }
    }
    return patterns;
  }

  /** The classes of {@code pkg} in every class folder (main and test), nested ones included. */
  private static List<Class<?>> classesIn(String pkg) throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    var folders = RegexSafetyTest.class.getClassLoader().getResources(pkg.replace('.', '/'));
    while (folders.hasMoreElements()) {
      URL url = folders.nextElement();
      if (!"file".equals(url.getProtocol())) {
        continue;
      }
      File[] files = new File(url.toURI()).listFiles((dir, name) -> name.endsWith(".class"));
      for (File f : files) {
        classes.add(Class.forName(pkg + "." + f.getName().replace(".class", "")));
      }
    }
    return classes;
  }

  @Test
  void should_find_the_patterns_of_both_packages() throws Exception {
    Map<String, Pattern> patterns = allPatterns();
    assertTrue(patterns.size() >= 25, () -> "only " + patterns.keySet());
    for (String expected :
        List.of("EmailRecognizer.EMAIL", "CardRecognizer.CARD", "PhoneRecognizer.DIGIT_RUN", "Redactor.PLACEHOLDER",
            "NameAndPlaceRecognizer.STREET_ADDRESS", "HarmfulOutputScanner.RULES[insult]")) {
      assertTrue(patterns.containsKey(expected), () -> expected + " not in " + patterns.keySet());
    }
  }

  @Test
  void should_scan_hostile_inputs_in_bounded_time_with_every_pattern() throws Exception {
    Map<String, Pattern> patterns = allPatterns();
    Map<String, String> inputs = hostileInputs();
    List<String> slow = new ArrayList<>();
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (var p : patterns.entrySet()) {
            for (var in : inputs.entrySet()) {
              // the better of two scans, in this thread's CPU time: the bound is about the
              // pattern's work, not about a busy machine's scheduling or a collection pause
              long ms = Math.min(scanMillis(p.getValue(), in.getValue()), MAX_MILLIS_PER_SCAN + 1);
              if (ms > MAX_MILLIS_PER_SCAN) {
                ms = Math.min(ms, scanMillis(p.getValue(), in.getValue()));
              }
              if (ms > MAX_MILLIS_PER_SCAN) {
                slow.add(p.getKey() + " on " + in.getKey() + ": " + ms + " ms");
              }
            }
          }
        },
        "a pattern backtracks catastrophically");
    assertTrue(slow.isEmpty(), () -> "slow patterns:\n" + String.join("\n", slow));
  }

  private static long scanMillis(Pattern pattern, String input) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    Matcher m = pattern.matcher(input);
    while (m.find()) {
      // every match, as the recognisers do
    }
    return (threads.getCurrentThreadCpuTime() - start) / 1_000_000;
  }

  @Test
  void should_detect_and_guard_hostile_inputs_in_bounded_time() {
    PiiDetector detector = PiiDetector.defaults();
    Redactor redactor = new Redactor(detector);
    OutputGuard guard = new OutputGuard(OutputGuardConfig.defaults(), MeterProvider.noop().get("test"));
    List<String> slow = new ArrayList<>();
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (var in : hostileInputs().entrySet()) {
            long start = System.nanoTime();
            redactor.redact(in.getValue());
            guard.check(new OutputGuard.Input(in.getValue(), List.of(in.getValue()), List.of(in.getValue()), "canary-x", in.getValue()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 2_000) {
              slow.add(in.getKey() + ": " + ms + " ms");
            }
          }
        });
    assertTrue(slow.isEmpty(), () -> "slow inputs:\n" + String.join("\n", slow));
  }
}
