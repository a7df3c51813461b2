package dev.supportagent.activities.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every pattern of every scanner, and the decoder's, over long hostile strings: repeated
 * fragments of their own keywords, near-matches that fail at the end, separators, and noise.
 * Catastrophic backtracking shows as seconds; each match must take under 200 ms.
 */
class RuleTimingTest {

  static final int LENGTH = 50_000;
  static final long LIMIT_MS = 200;

  static List<String> hostileInputs() {
    List<String> out = new ArrayList<>();
    out.add("a".repeat(LENGTH));
    out.add(" ".repeat(LENGTH));
    out.add("ignore ".repeat(LENGTH / 7));
    out.add("ignore all previous ".repeat(LENGTH / 20));
    out.add("you are now ".repeat(LENGTH / 12));
    out.add("how do i ".repeat(LENGTH / 9));
    out.add("vergiss alles ".repeat(LENGTH / 14));
    out.add("the the the the ".repeat(LENGTH / 16) + "!");
    out.add("a ".repeat(LENGTH / 2));
    out.add("0x41 ".repeat(LENGTH / 5) + "zz");
    out.add("AbC1".repeat(LENGTH / 4) + "!");
    out.add("%4".repeat(LENGTH / 2));
    out.add("&#1".repeat(LENGTH / 3));
    out.add("<|".repeat(LENGTH / 2));
    out.add("#".repeat(LENGTH));
    out.add("\n".repeat(LENGTH));
    out.add("talk to ".repeat(LENGTH / 8));
    out.add("write ".repeat(LENGTH / 6));
    out.add("du bist ".repeat(LENGTH / 8));
    StringBuilder noise = new StringBuilder();
    java.util.Random r = new java.util.Random(1);
    String alphabet = "abcdefghijklmnopqrstuvwxyz .,!?:-'\"<>|[]#%&;\\\n0123456789ABCXYZ";
    for (int i = 0; i < LENGTH; i++) {
      noise.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    out.add(noise.toString());
    return out;
  }

  static List<Pattern> allPatterns() throws IllegalAccessException {
    List<Pattern> patterns = new ArrayList<>();
    for (RuleSet set : List.of(GuardRules.INJECTION, GuardRules.HARMFUL, GuardRules.ABUSE, GuardRules.HUMAN_REQUEST,
        GuardRules.OFF_TOPIC, GuardRules.PASSAGE)) {
      for (Rule rule : set.rules()) {
        patterns.add(rule.pattern());
      }
    }
    for (Field f : PayloadDecoder.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Pattern.class) {
        f.setAccessible(true);
        patterns.add((Pattern) f.get(null));
      }
    }
    return patterns;
  }

  @Test
  void should_match_every_pattern_against_hostile_input_in_bounded_time() throws Exception {
    List<Pattern> patterns = allPatterns();
    List<String> inputs = hostileInputs();
    assertTrue(patterns.size() > 50, "found " + patterns.size() + " patterns");
    List<String> slow = new ArrayList<>();
    for (Pattern p : patterns) {
      for (String input : inputs) {
        long start = System.nanoTime();
        var m = p.matcher(input);
        while (m.find()) {
          // every match, as the decoder does
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > LIMIT_MS) {
          slow.add(ms + " ms: " + p.pattern().substring(0, Math.min(80, p.pattern().length())) + " on "
              + input.substring(0, 20).replace("\n", "\\n") + "...");
        }
      }
    }
    assertTrue(slow.isEmpty(), () -> String.join("\n", slow));
  }

  @Test
  void should_normalise_a_long_hostile_message_quickly() {
    Normaliser normaliser = new Normaliser();
    for (String input : hostileInputs()) {
      long start = System.nanoTime();
      normaliser.normalise(input);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 2_000, ms + " ms to normalise " + input.substring(0, 20));
    }
  }
}
