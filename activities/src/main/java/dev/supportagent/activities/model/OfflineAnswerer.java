package dev.supportagent.activities.model;

import dev.supportagent.activities.embedding.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The offline extractive answerer: answers with whole, informative sentences of the retrieved
 * passages ({@link PassageSentences}: never headings, labels, questions or colon-ended fragments),
 * chosen by their similarity to the question, and cites their documents. It needs no model
 * provider, costs nothing, is deterministic, and is the last fallback of every model chain.
 *
 * <p>A sentence's score mixes its embedding similarity to the question (when an embedding model
 * is given: the turn's own model, whose vector of the question the input guard has already made;
 * the sentences' vectors are kept, so a passage retrieved again costs no embedding), the share of
 * the question's content words it holds, the rank of its passage and its length. The weights were
 * chosen on the tuning splits of issue 14 (docs/results/issue14-answers.md). The best
 * sentence is taken, then others close to it in score while the answer stays short, read in the
 * passages' order and each cited. With nothing relevant retrieved, or no informative sentence, it
 * declines and offers a person.
 */
public final class OfflineAnswerer {

  public static final String MODEL = "offline-extractive";
  public static final String TIER = "offline";
  public static final String PROMPT_VERSION = "offline-v2";
  public static final String DECLINE_TEXT =
      "I couldn't find anything about that in our help centre, so I'd rather not guess. Would you"
          + " like me to connect you with a person from our support team?";

  /**
   * How sentences are weighed and how many are taken.
   *
   * @param semantic weight of the cosine similarity of question and sentence embeddings
   * @param lexical weight of the share of the question's content words in the sentence
   * @param rankPenalty subtracted per rank of the sentence's passage (0 for the best passage)
   * @param margin a further sentence is taken only when its score is within this of the best
   * @param maxSentences at most this many sentences
   * @param maxWords a further sentence is not taken once the answer has this many words
   * @param contextWords a question with fewer content words is read with the customer's previous
   *     message ("Yes", "and for a van?")
   * @param embedTop only this many sentences, the best by the lexical score and their passage's
   *     rank, are embedded (0: all): the embedding is most of the answerer's time
   * @param passages sentences are taken from this many of the best passages
   * @param lengthPenalty subtracted per {@link #LONG_WORDS} words a sentence has beyond that many:
   *     a long sentence says more than was asked
   */
  public record Weights(
      double semantic, double lexical, double rankPenalty, double margin, int maxSentences, int maxWords,
      int contextWords, int embedTop, int passages, double lengthPenalty) {

    public static final int LONG_WORDS = 25;
    public static final Weights DEFAULTS = new Weights(1.0, 0.3, 0.03, 0.08, 3, 40, 3, 12, 5, 0.05);

    /** {@code DEFAULTS} with the given {@code name=value} pairs, comma-separated, changed. */
    public static Weights parse(String spec) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String pair : spec.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("weights are name=value pairs, got '" + pair + "'");
        }
        values.put(kv[0].strip(), kv[1].strip());
      }
      Weights d = DEFAULTS;
      try {
        Weights w = new Weights(
            dbl(values.remove("semantic"), d.semantic), dbl(values.remove("lexical"), d.lexical),
            dbl(values.remove("rankPenalty"), d.rankPenalty), dbl(values.remove("margin"), d.margin),
            (int) dbl(values.remove("maxSentences"), d.maxSentences), (int) dbl(values.remove("maxWords"), d.maxWords),
            (int) dbl(values.remove("contextWords"), d.contextWords),
            (int) dbl(values.remove("embedTop"), d.embedTop), (int) dbl(values.remove("passages"), d.passages),
            dbl(values.remove("lengthPenalty"), d.lengthPenalty));
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("unknown weights " + values.keySet());
        }
        return w;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number in '" + spec + "'");
      }
    }

    private static double dbl(String v, double fallback) {
      return v == null ? fallback : Double.parseDouble(v);
    }
  }

  private static final Set<String> STOPWORDS =
      Set.of(
          "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with",
          "by", "from", "is", "are", "was", "were", "be", "been", "do", "does", "did", "can",
          "could", "should", "would", "will", "i", "you", "me", "my", "your", "we", "our", "it",
          "its", "this", "that", "these", "those", "how", "what", "when", "where", "which", "who",
          "why", "there", "their", "they", "them", "have", "has", "had", "not", "no", "so", "as",
          "about", "any", "some", "get", "please", "hi", "hello", "thanks", "thank", "am", "up",
          "into", "than", "then", "just", "also", "too", "very", "much", "many", "yes", "ok", "okay",
          "need", "want", "know", "tell", "like", "there's", "i'm", "it's", "don't");

  private record Candidate(int passageRank, int position, String sentence, Set<String> terms, double score) {}

  /** Sentence vectors kept: a help centre's often-retrieved passages are embedded once. */
  static final int KEPT_VECTORS = 8_192;

  private final EmbeddingModel embeddings;
  private final Weights weights;
  private final Map<String, float[]> vectors;

  /** Lexical only: for tests and tools without the embedding model. */
  public OfflineAnswerer() {
    this(null, Weights.DEFAULTS);
  }

  /** @param embeddings the model the turn's question is embedded with (its vectors may be remembered) */
  public OfflineAnswerer(EmbeddingModel embeddings) {
    this(embeddings, Weights.DEFAULTS);
  }

  public OfflineAnswerer(EmbeddingModel embeddings, Weights weights) {
    this(embeddings, weights, Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > KEPT_VECTORS;
      }
    }));
  }

  private OfflineAnswerer(EmbeddingModel embeddings, Weights weights, Map<String, float[]> vectors) {
    this.embeddings = embeddings;
    this.weights = weights;
    this.vectors = vectors;
  }

  /** The same answerer weighing sentences otherwise, sharing the vectors it has kept. */
  public OfflineAnswerer withWeights(Weights other) {
    return new OfflineAnswerer(embeddings, other, vectors);
  }

  public GeneratedAnswer answer(String question, List<Passage> passages, boolean relevant) {
    return answer(question, List.of(), passages, relevant);
  }

  /**
   * @param conversation the messages before the question, oldest first: the customer's last one is
   *     read with a question too short to stand alone
   */
  public GeneratedAnswer answer(
      String question, List<HistoryMessage> conversation, List<Passage> passages, boolean relevant) {
    long tokensIn = words(question) + passages.stream().mapToLong(p -> words(p.text())).sum();
    if (!relevant || passages.isEmpty()) {
      return answer(DECLINE_TEXT, List.of(), true, tokensIn);
    }
    String query = question;
    String lastCustomer = null;
    for (HistoryMessage m : conversation) {
      if (!"agent".equals(m.role())) {
        lastCustomer = m.text();
      }
    }
    if (terms(question).size() < weights.contextWords() && lastCustomer != null) {
      query = lastCustomer + " " + question;
    }
    Set<String> queryTerms = terms(query);
    List<Passage> top = passages.subList(0, Math.min(weights.passages(), passages.size()));
    List<Candidate> unscored = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int rank = 0; rank < top.size(); rank++) {
      List<String> sentences = PassageSentences.of(top.get(rank).text());
      for (int pos = 0; pos < sentences.size(); pos++) {
        String s = sentences.get(pos);
        // overlapping chunks repeat sentences: the better-ranked passage keeps them
        if (seen.add(s.toLowerCase(Locale.ROOT))) {
          unscored.add(new Candidate(rank, pos, s, terms(s), 0));
        }
      }
    }
    if (unscored.isEmpty()) {
      // the passages hold no sentence to answer from (headings, short lines): say so, don't send nothing
      return answer(DECLINE_TEXT, List.of(), true, tokensIn);
    }
    double[] lexical = new double[unscored.size()];
    for (int i = 0; i < unscored.size(); i++) {
      lexical[i] = queryTerms.isEmpty() ? 0 : overlap(queryTerms, unscored.get(i).terms()) / queryTerms.size();
    }
    double[] semantic = semantic(query, unscored, lexical);
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < unscored.size(); i++) {
      Candidate c = unscored.get(i);
      double score = weights.semantic() * semantic[i] + weights.lexical() * lexical[i]
          - weights.rankPenalty() * c.passageRank();
      int n = words(c.sentence());
      if (n > Weights.LONG_WORDS) {
        score -= weights.lengthPenalty() * (n - Weights.LONG_WORDS) / (double) Weights.LONG_WORDS;
      }
      candidates.add(new Candidate(c.passageRank(), c.position(), c.sentence(), c.terms(), score));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
        .thenComparingInt(Candidate::passageRank).thenComparingInt(Candidate::position));
    List<Candidate> picked = pick(candidates);
    picked.sort(Comparator.comparingInt(Candidate::passageRank).thenComparingInt(Candidate::position));
    return cite(picked, top, tokensIn);
  }

  /** The best sentence, then the next best within the margin while the answer stays short. */
  private List<Candidate> pick(List<Candidate> ranked) {
    List<Candidate> picked = new ArrayList<>();
    Candidate best = ranked.get(0);
    picked.add(best);
    int words = words(best.sentence());
    for (Candidate c : ranked.subList(1, ranked.size())) {
      if (picked.size() >= weights.maxSentences() || words >= weights.maxWords()
          || c.score() < best.score() - weights.margin()) {
        break;
      }
      boolean repeat = picked.stream().anyMatch(p -> jaccard(p.terms(), c.terms()) > 0.6);
      if (!repeat) {
        picked.add(c);
        words += words(c.sentence());
      }
    }
    return picked;
  }

  /**
   * Each candidate's cosine similarity to the query; with {@code embedTop}, only the best by the
   * lexical score are embedded and the others get the lowest similarity found.
   */
  private double[] semantic(String query, List<Candidate> candidates, double[] lexical) {
    double[] out = new double[candidates.size()];
    if (embeddings == null || weights.semantic() == 0) {
      return out;
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      order.add(i);
    }
    if (weights.embedTop() > 0 && order.size() > weights.embedTop()) {
      order.sort(Comparator.comparingDouble(
          (Integer i) -> -(lexical[i] * weights.lexical() - weights.rankPenalty() * candidates.get(i).passageRank())));
      order = order.subList(0, weights.embedTop());
    }
    List<String> missing = new ArrayList<>();
    for (int i : order) {
      String s = candidates.get(i).sentence();
      if (!vectors.containsKey(s) && !missing.contains(s)) {
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      List<Embedding> computed = embeddings.embedAll(missing.stream().map(TextSegment::from).toList()).content();
      for (int i = 0; i < missing.size(); i++) {
        vectors.put(missing.get(i), computed.get(i).vector());
      }
    }
    float[] q = embeddings.embed(query).content().vector();
    double lowest = 1;
    boolean[] done = new boolean[out.length];
    for (int i : order) {
      float[] v = vectors.get(candidates.get(i).sentence());
      out[i] = v == null ? 0 : Vectors.cosine(q, v);
      lowest = Math.min(lowest, out[i]);
      done[i] = true;
    }
    for (int i = 0; i < out.length; i++) {
      if (!done[i]) {
        out[i] = lowest;
      }
    }
    return out;
  }

  private static GeneratedAnswer cite(List<Candidate> picked, List<Passage> top, long tokensIn) {
    Map<String, Integer> citationNumbers = new LinkedHashMap<>();
    List<Citation> citations = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Candidate c : picked) {
      Passage p = top.get(c.passageRank());
      Integer n = citationNumbers.get(p.documentId());
      if (n == null) {
        n = citationNumbers.size() + 1;
        citationNumbers.put(p.documentId(), n);
        citations.add(new Citation(p.documentId(), p.title(), p.url(), p.section()));
      }
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(c.sentence()).append(" [").append(n).append(']');
    }
    return answer(text.toString(), citations, false, tokensIn);
  }

  private static GeneratedAnswer answer(
      String text, List<Citation> citations, boolean declined, long tokensIn) {
    return new GeneratedAnswer(
        text, citations, declined, MODEL, TIER, PROMPT_VERSION, tokensIn, words(text), 0.0, 0);
  }

  /** The informative sentences of a passage's text: see {@link PassageSentences}. */
  static List<String> sentences(String text) {
    return PassageSentences.of(text);
  }

  /**
   * Whether one sentence informs on its own, as the answerer judges the passages' sentences (not
   * a heading, label, question or fragment): for evaluations that check replies.
   */
  public static boolean informative(String sentence) {
    String s = sentence.strip();
    return !s.isEmpty() && PassageSentences.informative(s);
  }

  static Set<String> terms(String text) {
    Set<String> terms = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      w = w.replaceAll("^'+|'+$", "");
      if (w.length() > 1 && !STOPWORDS.contains(w)) {
        terms.add(stem(w.replace("'", "")));
      }
    }
    return terms;
  }

  private static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 5 && w.endsWith("ing")) {
      return w.substring(0, w.length() - 3);
    }
    if (w.length() > 4 && w.endsWith("ed")) {
      return w.substring(0, w.length() - 2);
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static double overlap(Set<String> a, Set<String> b) {
    int n = 0;
    for (String t : a) {
      if (b.contains(t)) {
        n++;
      }
    }
    return n;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    return overlap(a, b) / union.size();
  }

  private static int words(String s) {
    return PassageSentences.words(s);
  }
}
