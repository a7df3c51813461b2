package dev.supportagent.activities.guard;

import java.util.function.Function;

/**
 * What the scanners of one message share: the raw and normalised message, its embedding
 * (computed at most once, and only when a scanner asks for it) and the classifier's score.
 */
public final class ScanContext {

  private final String raw;
  private final Normaliser.Normalised normalised;
  private final Function<String, float[]> embedder;
  private final AttackClassifier classifier;
  private float[] embedding;
  private Double attackScore;
  private String text;

  ScanContext(String raw, Normaliser.Normalised normalised, float[] embedding, Function<String, float[]> embedder,
      AttackClassifier classifier) {
    this.raw = raw;
    this.normalised = normalised;
    this.embedding = embedding;
    this.embedder = embedder;
    this.classifier = classifier;
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
    if (classifier == null) {
      return -1;
    }
    if (attackScore == null) {
      double score = classifier.score(embedding());
      for (String decoded : normalised.decoded()) {
        score = Math.max(score, classifier.score(embedder.apply(decoded)));
      }
      attackScore = score;
    }
    return attackScore;
  }

  public AttackClassifier classifier() {
    return classifier;
  }
}
