package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuestionNormalizerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "How do I cancel my subscription?           | how do i cancel my subscription",
        "  HOW do I   cancel my subscription ?!     | how do i cancel my subscription",
        "Hi, how do I cancel my subscription? Thanks! | how do i cancel my subscription",
        "Hello there - could you please help        | could you help",
        "\uff28\uff4f\uff57 do I reset my password      | how do i reset my password",
        "reset\u200b my pass\u00adword \ud83d\ude0a          | reset my password",
        "What's your phone number in the US?         | what is your phone number in the us",
        "what is your phone number in the US         | what is your phone number in the us",
        "I don't like it, can\u2019t I return it?      | i do not like it can not i return it",
        "is firmware 3.2.1 out? it costs $3.99.     | is firmware 3.2.1 out it costs $3.99",
        "e-mail / wi-fi                             | e mail wi fi",
        "50% off, B&Q?                              | 50% off b&q",
        "thanks                                     | thanks",
      })
  void should_normalise_case_unicode_punctuation_and_courtesy(String question, String expected) {
    assertEquals(expected, QuestionNormalizer.normalize(question));
  }

  @Test
  void should_keep_stop_words_that_change_the_answer() {
    assertNotEquals(
        QuestionNormalizer.normalize("can I return a strip if I have cut it"),
        QuestionNormalizer.normalize("can I return a strip if I have not cut it"));
    assertNotEquals(
        QuestionNormalizer.normalize("move from Plus to Pro"), QuestionNormalizer.normalize("move Plus Pro"));
  }

  @Test
  void should_give_empty_for_nothing_but_punctuation() {
    assertEquals("", QuestionNormalizer.normalize(" ?! ... "));
    assertEquals("", QuestionNormalizer.normalize(null));
  }

  @Test
  void should_give_a_fixed_length_id_per_normalised_question() {
    String id = QuestionNormalizer.id("how do i cancel my subscription");
    assertEquals(32, id.length());
    assertEquals(id, QuestionNormalizer.id(QuestionNormalizer.normalize("How do I cancel my subscription?")));
    assertNotEquals(id, QuestionNormalizer.id("how do i cancel my order"));
  }
}
