package dev.supportagent.activities.model.cache;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedding model with vectors chosen by the test: {@link #similar} gives a text a vector at a
 * chosen cosine to another's; any other text gets a random unit vector (nearly orthogonal to the
 * rest in 384 dimensions).
 */
final class FakeEmbeddings implements EmbeddingModel {

  static final int DIMENSIONS = 384;

  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean failing;

  /** Gives {@code text} (as the cache embeds it: normalised) a vector at {@code cosine} to {@code other}'s. */
  FakeEmbeddings similar(String text, String other, double cosine) {
    float[] base = vector(QuestionNormalizer.normalize(other));
    float[] noise = random(text.hashCode() * 31L + 7);
    // remove noise's component along base, then mix: cos = cosine exactly
    double along = Vectors.dot(noise, base);
    float[] orthogonal = new float[DIMENSIONS];
    for (int i = 0; i < DIMENSIONS; i++) {
      orthogonal[i] = (float) (noise[i] - along * base[i]);
    }
    orthogonal = Vectors.unit(orthogonal);
    float[] v = new float[DIMENSIONS];
    double sin = Math.sqrt(1 - cosine * cosine);
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = (float) (cosine * base[i] + sin * orthogonal[i]);
    }
    vectors.put(QuestionNormalizer.normalize(text), v);
    return this;
  }

  float[] vector(String text) {
    return vectors.computeIfAbsent(text, t -> random(t.hashCode()));
  }

  int calls() {
    return calls.get();
  }

  void failing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public Response<Embedding> embed(String text) {
    calls.incrementAndGet();
    if (failing) {
      throw new IllegalStateException("embedding model down");
    }
    return Response.from(Embedding.from(vector(text).clone()));
  }

  @Override
  public Response<Embedding> embed(TextSegment segment) {
    return embed(segment.text());
  }

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    return Response.from(segments.stream().map(s -> embed(s.text()).content()).toList());
  }

  @Override
  public int dimension() {
    return DIMENSIONS;
  }

  private static float[] random(long seed) {
    Random r = new Random(seed);
    float[] v = new float[DIMENSIONS];
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Vectors.unit(v);
  }
}
