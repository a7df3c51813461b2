package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnglishStemsTest {

  @Test
  void should_give_inflected_forms_the_same_stem() {
    assertEquals(EnglishStems.of("refund"), EnglishStems.of("refunds"));
    assertEquals(EnglishStems.of("refund"), EnglishStems.of("Refunded"));
    assertEquals(EnglishStems.of("charge"), EnglishStems.of("charging"));
    assertEquals(EnglishStems.of("payment"), EnglishStems.of("payments"));
  }

  @Test
  void should_lower_case_and_drop_stop_words_and_possessives() {
    assertEquals(List.of("hub", "light", "blink"), EnglishStems.terms("The hub's light is BLINKING"));
  }

  @Test
  void should_keep_numbers_and_split_on_punctuation() {
    assertEquals("2.4 ghz wi fi", EnglishStems.of("2.4 GHz Wi-Fi"));
  }

  @Test
  void should_be_empty_for_nothing_to_stem() {
    assertEquals("", EnglishStems.of(null));
    assertEquals("", EnglishStems.of("  "));
    assertEquals("", EnglishStems.of("is it on?"));
  }

  @Test
  void should_stem_title_section_and_text_of_a_chunk_document() {
    ChunkDocument doc =
        ChunkDocument.withStems("d#0", "d", "Refunds policy", null, null, "Cards are refunded in 5 days",
            0, "h", "v", null, new float[] {1f});

    assertEquals("refund polici", doc.titleStems());
    assertNull(doc.sectionStems());
    assertEquals("card refund 5 dai", doc.textStems());
  }
}
