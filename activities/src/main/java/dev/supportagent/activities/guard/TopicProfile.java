package dev.supportagent.activities.guard;

import java.util.List;

/**
 * Where the support questions are in embedding space: the normalised mean of the knowledge
 * base's passage embeddings, and the cosine below which a message is off-topic.
 */
public record TopicProfile(float[] centroid, double minSimilarity) {

  public TopicProfile {
    if (centroid == null || centroid.length == 0) {
      throw new IllegalArgumentException("topic profile needs a centroid");
    }
    if (minSimilarity < -1 || minSimilarity > 1) {
      throw new IllegalArgumentException("topic similarity threshold must be between -1 and 1");
    }
    centroid = unit(centroid.clone());
  }

  /** The profile of a set of embeddings (for example a knowledge base's chunks). */
  public static TopicProfile of(List<float[]> embeddings, double minSimilarity) {
    if (embeddings.isEmpty()) {
      throw new IllegalArgumentException("topic profile needs at least one embedding");
    }
    float[] sum = new float[embeddings.get(0).length];
    for (float[] e : embeddings) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += e[i];
      }
    }
    return new TopicProfile(sum, minSimilarity);
  }

  /** Cosine similarity of an embedding to the centroid. */
  public double similarity(float[] embedding) {
    double dot = 0;
    double norm = 0;
    for (int i = 0; i < centroid.length; i++) {
      dot += centroid[i] * embedding[i];
      norm += embedding[i] * embedding[i];
    }
    return norm == 0 ? 0 : dot / Math.sqrt(norm);
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    double n = Math.sqrt(norm);
    if (n > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= n;
      }
    }
    return v;
  }
}
