package dev.supportagent.activities.retrieval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds which knowledge-base documents a conversation names, by their titles: a title is
 * mentioned in a message when every one of its distinctive words (those in fewer than {@link
 * #GENERIC_SHARE} of the titles, so not "hotel" or "house") appears in the message, allowing a
 * typo or two in long words ("ayelsbray" for "Aylesbray"); a title of only generic or short words
 * must appear whole. The newest message that names a
 * document decides: "do they allow pets?" after "the Hobsons House has 3 stars" is about Hobsons
 * House.
 */
public final class TitleMentions {

  /** A word in at least this share of the titles (and at least 3 of them) is generic. */
  static final double GENERIC_SHARE = 0.02;

  /** Titles whose distinctive words are shorter than this in all must appear as a phrase. */
  static final int MIN_DISTINCTIVE_CHARS = 4;

  /**
   * At least this share of a title's words must be in the message: "north" alone does not name
   * "City Centre North B and B".
   */
  static final double MIN_COVERAGE = 0.5;

  private final Map<String, List<String>> distinctiveWords = new HashMap<>();
  private final Map<String, List<String>> allWords = new HashMap<>();
  /** Titles made only of generic words ("A and B Guest House") must appear as a phrase. */
  private final Map<String, String> phrases = new HashMap<>();

  /** @param titles document id to title */
  public TitleMentions(Map<String, String> titles) {
    Map<String, Integer> frequency = new HashMap<>();
    Map<String, Set<String>> words = new HashMap<>();
    titles.forEach(
        (doc, title) -> {
          Set<String> w = new LinkedHashSet<>(words(title, 2));
          words.put(doc, w);
          w.forEach(word -> frequency.merge(word, 1, Integer::sum));
        });
    int generic = Math.max(3, (int) Math.ceil(GENERIC_SHARE * titles.size()));
    words.forEach(
        (doc, w) -> {
          List<String> distinctive = w.stream().filter(word -> frequency.get(word) < generic).toList();
          allWords.put(doc, List.copyOf(w));
          // short distinctive words are everyday words ("ask", "bo"): such titles need the phrase
          if (distinctive.stream().mapToInt(String::length).sum() < MIN_DISTINCTIVE_CHARS) {
            phrases.put(doc, " " + String.join(" ", words(titles.get(doc), 1)) + " ");
          } else {
            distinctiveWords.put(doc, distinctive);
          }
        });
  }

  /**
   * The documents that the conversation before {@code question} named last, or none when the
   * question names a document itself: a question that names its subject has changed the topic,
   * and its own words reach the search.
   */
  public Set<String> earlier(String question, List<String> context) {
    if (!named(question).isEmpty()) {
      return Set.of();
    }
    for (int i = context.size() - 1; i >= 0; i--) {
      Set<String> named = named(context.get(i));
      if (!named.isEmpty()) {
        return named;
      }
    }
    return Set.of();
  }

  /** How many titles there are: the knowledge base's documents. */
  public int size() {
    return allWords.size();
  }

  /**
   * What identifies a document's title in a message: its distinctive words, or the whole title
   * as one phrase for a title of only common or short words.
   */
  public List<String> identifiers(String doc) {
    String phrase = phrases.get(doc);
    if (phrase != null) {
      return List.of(phrase.strip());
    }
    return distinctiveWords.getOrDefault(doc, List.of());
  }

  /**
   * The documents whose titles this message names; where several are named, those whose titles
   * the message covers best ("Nandos" over "Nandos City Centre" for "Nandos is cheap").
   */
  public Set<String> named(String message) {
    Set<String> candidates = candidates(message);
    if (candidates.size() < 2) {
      return candidates;
    }
    Set<String> tokens = new HashSet<>(words(message, 1));
    // best covered first, then the longest title: "Nandos City Centre" over "Nandos" when all of
    // it is named
    Map<String, Double> rank = new HashMap<>();
    for (String doc : candidates) {
      List<String> title = allWords.get(doc);
      long present = title.stream().filter(tokens::contains).count();
      rank.put(doc, (title.isEmpty() ? 0 : (double) present / title.size()) * 100 + present);
    }
    double best = rank.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    Set<String> named = new LinkedHashSet<>();
    for (String doc : candidates) {
      if (rank.get(doc) >= best) {
        named.add(doc);
      }
    }
    return named;
  }

  private Set<String> candidates(String message) {
    List<String> tokens = words(message, 2);
    Set<String> exact = new HashSet<>(tokens);
    Set<String> named = new LinkedHashSet<>();
    String sequence = " " + String.join(" ", words(message, 1)) + " ";
    phrases.forEach(
        (doc, phrase) -> {
          if (sequence.contains(phrase)) {
            named.add(doc);
          }
        });
    distinctiveWords.forEach(
        (doc, required) -> {
          if (required.stream().allMatch(w -> exact.contains(w) || fuzzyContains(tokens, w))
              && coverage(doc, exact, required) >= MIN_COVERAGE) {
            named.add(doc);
          }
        });
    return named;
  }

  /** The share of the title's words in the message, its distinctive words counted as found. */
  private double coverage(String doc, Set<String> tokens, List<String> distinctive) {
    List<String> title = allWords.get(doc);
    long present = title.stream().filter(w -> tokens.contains(w) || distinctive.contains(w)).count();
    return title.isEmpty() ? 0 : (double) present / title.size();
  }

  private static boolean fuzzyContains(List<String> tokens, String word) {
    // typos are allowed in long words only: "palace" must not match "place", nor "prince" "price"
    int allowed = word.length() >= 9 ? 2 : word.length() >= 7 ? 1 : 0;
    if (allowed == 0) {
      return false;
    }
    for (String t : tokens) {
      if (Math.abs(t.length() - word.length()) <= allowed && distance(t, word, allowed) <= allowed) {
        return true;
      }
    }
    return false;
  }

  /** Optimal string alignment distance (a transposition counts 1), giving up past {@code max}. */
  static int distance(String a, String b, int max) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int rowMin = Integer.MAX_VALUE;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > max) {
        return max + 1;
      }
    }
    return d[a.length()][b.length()];
  }

  static List<String> words(String text, int minLength) {
    String folded =
        Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT)
            .replace("'s", "")
            .replace("&", " and ");
    List<String> words = new ArrayList<>();
    for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
      if (w.length() >= minLength) {
        words.add(w);
      }
    }
    return words;
  }
}
