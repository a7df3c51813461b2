package dev.supportagent.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

  @Test
  void should_normalise_as_squad_does() {
    assertEquals(List.of("dont", "cat", "sat", "on", "mat"), TextMetrics.tokens("Don't! The cat sat on a MAT."));
    assertEquals(List.of(), TextMetrics.tokens(" the , a "));
  }

  @Test
  void should_compute_token_f1_by_hand() {
    // prediction: cat sat on mat (4 tokens); reference: cat on mat (3); 3 in common
    // precision 3/4, recall 3/3, F1 = 2 * 0.75 * 1 / 1.75
    assertEquals(6.0 / 7.0, TextMetrics.tokenF1("The cat sat on the mat.", "a cat on a mat"), 1e-12);
    assertEquals(1.0, TextMetrics.tokenF1("Dont!", "don't"), 1e-12);
    assertEquals(0.0, TextMetrics.tokenF1("dog", "cat"), 1e-12);
  }

  @Test
  void should_count_a_repeated_token_only_as_often_as_both_have_it() {
    // x x y against x y y: one x and one y in common, precision and recall 2/3
    assertEquals(2.0 / 3.0, TextMetrics.tokenF1("x x y", "x y y"), 1e-12);
  }

  @Test
  void should_score_1_when_both_are_empty_and_0_when_one_is() {
    assertEquals(1.0, TextMetrics.tokenF1("the", "."));
    assertEquals(0.0, TextMetrics.tokenF1("", "cat"));
    assertEquals(0.0, TextMetrics.tokenF1("cat", null));
  }
}
