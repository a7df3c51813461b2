package dev.supportagent.activities.guard;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the scanners of one message share: the raw and normalised message, its embedding
 * (computed at most once, and only when a scanner asks for it), each classifier's score (computed
 * at most once) and the knowledge base's vocabulary.
 */
public final class ScanContext {

  private final String raw;
  private final Normaliser.Normalised normalised;
  private final Function<String, float[]> embedder;
  private final AttackClassifier classifier;
  private final KbVocabulary vocabulary;
  private final Map<AttackClassifier, Double> scores = new IdentityHashMap<>(2);
  private float[] embedding;
  private String text;

  ScanContext(String raw, Normaliser.Normalised normalised, float[] embedding, Function<String, float[]> embedder,
      AttackClassifier classifier) {
    this(raw, normalised, embedding, embedder, classifier, KbVocabulary.EMPTY);
  }

  ScanContext(String raw, Normaliser.Normalised normalised, float[] embedding, Function<String, float[]> embedder,
      AttackClassifier classifier, KbVocabulary vocabulary) {
    this.raw = raw;
    this.normalised = normalised;
    this.embedding = embedding;
    this.embedder = embedder;
    this.classifier = classifier;
    this.vocabulary = vocabulary == null ? KbVocabulary.EMPTY : vocabulary;
    this.text = normalised == null ? "" : normalised.text();
  }

  /** The message as received. */
  public String raw() {
    return raw;
  }

  /** The normalised message and the views the rules read; null before the shape check passed. */
  public Normaliser.Normalised normalised() {
    return normalised;
  }

  /** The text downstream steps will see: the normalised message, as rewritten by redactors. */
  public String text() {
    return text;
  }

  /** Replaces the text passed downstream (a redacting scanner's result). */
  public void rewrite(String newText) {
    this.text = newText;
  }

  /** The message's embedding: the one given with the message, else computed once here. */
  public float[] embedding() {
    if (embedding == null) {
      embedding = embedder.apply(normalised.text());
    }
    return embedding;
  }

  boolean hasEmbedding() {
    return embedding != null;
  }

  /**
   * The attack classifier's probability for this message, or -1 when there is no classifier. A
   * payload decoded from the message (base64, hex, ...) is embedded and scored too, and the
   * higher score counts: hiding an instruction must not lower it.
   */
  public double attackScore() {
    return score(classifier);
  }

  /** As {@link #attackScore()}, for any classifier over the same embedding (the harmful one). */
  public double score(AttackClassifier c) {
    if (c == null) {
      return -1;
    }
    Double cached = scores.get(c);
    if (cached == null) {
      double score = c.score(embedding(), normalised.text());
      for (String decoded : normalised.decoded()) {
        score = Math.max(score, c.score(embedder.apply(decoded), decoded));
      }
      cached = score;
      scores.put(c, cached);
    }
    return cached;
  }

  /** The injection classifier (the chain's default one). */
  public AttackClassifier classifier() {
    return classifier;
  }

  /** The knowledge base's vocabulary; {@link KbVocabulary#EMPTY} when none is known. */
  public KbVocabulary vocabulary() {
    return vocabulary;
  }

  /** The message's topical words that the knowledge base uses itself (see {@link KbVocabulary}). */
  public Set<String> kbWords(double minShare, int minPassages) {
    return vocabulary.commonIn(normalised == null ? raw : normalised.text(), minShare, minPassages);
  }
}
