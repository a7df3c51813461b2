package dev.supportagent.activities.guard;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How common the guard's topical words ({@link #TOPICAL_WORDS}: "prompt", "instructions",
 * "system", "model", ...) are in the knowledge base: for each, the share of its passages that use
 * it (document frequency). A help centre about prompts or models can be asked about prompts and
 * models: the {@code prompt_injection} scanner discounts the evidence such words give when the
 * knowledge base uses them itself (see {@link RuleScanner}).
 *
 * <p>Words are compared in lower case with a plural {@code s} taken off, so "Prompts" counts for
 * "prompt". Immutable.
 *
 * @param passages how many passages the shares are over (0: nothing known, nothing is common)
 * @param shares the document frequency of each topical word, from 0 to 1
 */
public record KbVocabulary(long passages, Map<String, Double> shares) {

  /**
   * The words an injection rule or the classifier leans on that a product's own help centre may
   * use for its features. Singular forms; {@link #stem} maps a message's words onto them.
   */
  public static final List<String> TOPICAL_WORDS =
      List.of("prompt", "instruction", "system", "model", "rule", "role", "persona", "mode", "developer",
          "assistant", "chatbot", "bot", "ai", "template", "guideline", "directive", "context", "agent");

  /** Nothing known about the knowledge base: no word is discounted. */
  public static final KbVocabulary EMPTY = new KbVocabulary(0, Map.of());

  private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}]*");

  public KbVocabulary {
    if (passages < 0) {
      throw new IllegalArgumentException("passages must not be negative");
    }
    shares = Map.copyOf(shares);
  }

  /** The vocabulary of some passages (tests, and a knowledge base read in full). */
  public static KbVocabulary of(Collection<String> passages) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String passage : passages) {
      for (String word : words(passage)) {
        if (TOPICAL_WORDS.contains(word)) {
          counts.merge(word, 1, Integer::sum);
        }
      }
    }
    return fromCounts(passages.size(), counts);
  }

  /** From document counts per topical word (what an index returns). */
  public static KbVocabulary fromCounts(long passages, Map<String, ? extends Number> counts) {
    Map<String, Double> shares = new LinkedHashMap<>();
    if (passages > 0) {
      counts.forEach((w, c) -> shares.put(stem(w), Math.min(1, c.doubleValue() / passages)));
    }
    return new KbVocabulary(passages, shares);
  }

  /** The share of passages that use {@code word} (any case, singular or plural). */
  public double share(String word) {
    return shares.getOrDefault(stem(word), 0.0);
  }

  /**
   * The topical words of a message that the knowledge base uses in at least {@code minShare} of
   * its passages, and in at least {@code minPassages} of them.
   */
  public Set<String> commonIn(String message, double minShare, int minPassages) {
    Set<String> out = new LinkedHashSet<>();
    if (passages == 0) {
      return out;
    }
    for (String word : words(message)) {
      double share = shares.getOrDefault(word, 0.0);
      if (share > 0 && share >= minShare && share * passages >= minPassages - 1e-9) {
        out.add(word);
      }
    }
    return out;
  }

  /** The topical words a message uses, common in the knowledge base or not. */
  public static Set<String> topicalIn(String message) {
    Set<String> out = new LinkedHashSet<>();
    for (String word : words(message)) {
      if (TOPICAL_WORDS.contains(word)) {
        out.add(word);
      }
    }
    return out;
  }

  /** The distinct lower-cased, singular words of a text. */
  static Set<String> words(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(stem(m.group()));
    }
    return out;
  }

  static String stem(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }
}
