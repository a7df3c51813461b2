package dev.supportagent.evaluation.metrics;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Answer-quality measures on text: token F1 as in SQuAD, and the cosine of two embeddings. */
public final class TextMetrics {

  private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]");
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");

  private TextMetrics() {}

  /**
   * SQuAD's answer normalisation: lower case, punctuation removed ("don't" becomes "dont"), the articles a, an and the out, runs
   * of white space collapsed; then split on white space.
   */
  public static List<String> tokens(String text) {
    if (text == null) {
      return List.of();
    }
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    s = PUNCTUATION.matcher(s).replaceAll("");
    s = ARTICLES.matcher(s).replaceAll(" ");
    s = s.strip();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
  }

  /**
   * Token F1 of a prediction against a reference, counting repeated tokens as often as both have
   * them (SQuAD): 1 when both normalise to nothing, 0 when only one does.
   */
  public static double tokenF1(String prediction, String reference) {
    List<String> p = tokens(prediction);
    List<String> r = tokens(reference);
    if (p.isEmpty() || r.isEmpty()) {
      return p.isEmpty() && r.isEmpty() ? 1.0 : 0.0;
    }
    Map<String, Integer> counts = new HashMap<>();
    r.forEach(t -> counts.merge(t, 1, Integer::sum));
    int common = 0;
    for (String t : p) {
      Integer left = counts.get(t);
      if (left != null && left > 0) {
        common++;
        counts.put(t, left - 1);
      }
    }
    if (common == 0) {
      return 0.0;
    }
    double precision = common / (double) p.size();
    double recall = common / (double) r.size();
    return 2 * precision * recall / (precision + recall);
  }
}
