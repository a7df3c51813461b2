package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void should_give_the_cosine_and_zero_for_a_zero_vector() {
    assertEquals(0.0, Vectors.cosine(new float[] {1, 0}, new float[] {0, 1}), 1e-12);
    assertEquals(1.0, Vectors.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-9);
    assertEquals(-1.0, Vectors.cosine(new float[] {1, 1}, new float[] {-1, -1}), 1e-9);
    assertEquals(0.0, Vectors.cosine(new float[] {0, 0}, new float[] {1, 1}));
  }

  @Test
  void should_refuse_vectors_of_different_dimensions() {
    assertThrows(IllegalArgumentException.class, () -> Vectors.cosine(new float[] {1}, new float[] {1, 0}));
  }
}
