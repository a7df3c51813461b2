package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorIndexTest {

  private static float[] v(float... xs) {
    return Vectors.unit(xs);
  }

  @Test
  void should_return_the_most_similar_above_the_threshold_first() {
    VectorIndex index = new VectorIndex();
    index.put("x", 1, v(1, 0, 0));
    index.put("xy", 2, v(1, 1, 0));
    index.put("y", 3, v(0, 1, 0));

    List<VectorIndex.Match> matches = index.nearest(v(1, 0.1f, 0), 0.5, 3);

    assertEquals(List.of("x", "xy"), matches.stream().map(VectorIndex.Match::id).toList());
    assertTrue(matches.get(0).similarity() > 0.99);
    assertEquals(1, index.nearest(v(1, 0.1f, 0), 0.5, 1).size());
    assertTrue(index.nearest(v(0, 0, 1), 0.5, 3).isEmpty());
  }

  @Test
  void should_replace_a_vector_stored_again_and_remove_by_id() {
    VectorIndex index = new VectorIndex();
    index.put("a", 1, v(1, 0));
    index.put("b", 1, v(0, 1));
    index.put("a", 2, v(0, 1));

    assertEquals(2, index.size());
    assertEquals(2, index.nearest(v(0, 1), 0.9, 5).size());
    assertTrue(index.remove("b"));
    assertFalse(index.remove("b"));
    assertEquals(List.of("a"), index.nearest(v(0, 1), 0.9, 5).stream().map(VectorIndex.Match::id).toList());
  }

  @Test
  void should_evict_the_oldest_first_and_ties_in_insertion_order() {
    VectorIndex index = new VectorIndex();
    index.put("first", 5, v(1, 0));
    index.put("second", 5, v(1, 0));
    index.put("older", 1, v(1, 0));
    index.put("newest", 9, v(1, 0));

    assertEquals(List.of("older", "first"), index.evictOldest(2));
    assertTrue(index.contains("second") && index.contains("newest"));
    assertEquals(List.of(), index.evictOldest(2));
  }

  @Test
  void should_remove_what_was_stored_before_a_cutoff() {
    VectorIndex index = new VectorIndex();
    for (int i = 0; i < 100; i++) {
      index.put("q" + i, i, v(1, i));
    }
    assertEquals(40, index.removeStoredBefore(40).size());
    assertEquals(60, index.size());
    assertFalse(index.contains("q39"));
    assertTrue(index.contains("q40"));
  }

  @Test
  void should_refuse_vectors_of_another_dimension() {
    VectorIndex index = new VectorIndex();
    index.put("a", 1, v(1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> index.put("b", 1, v(1, 0)));
    assertThrows(IllegalArgumentException.class, () -> index.nearest(v(1, 0), 0, 1));
  }

  @Test
  void should_round_trip_vectors_as_float32_bytes() {
    float[] x = {0.25f, -1.5f, 3.0e-7f};
    byte[] bytes = Vectors.toBytes(x);
    assertEquals(12, bytes.length);
    assertArrayEquals(x, Vectors.fromBytes(bytes));
    assertThrows(IllegalArgumentException.class, () -> Vectors.fromBytes(new byte[5]));
  }
}
