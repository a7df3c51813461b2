package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TitleMentionsTest {

  static final Map<String, String> TITLES =
      Map.ofEntries(
          Map.entry("hobsons", "Hobsons House"),
          Map.entry("acorn", "Acorn Guest House"),
          Map.entry("aylesbray", "Aylesbray Lodge Guest House"),
          Map.entry("arbury", "Arbury Lodge Guesthouse"),
          Map.entry("ab", "A and B Guest House"),
          Map.entry("ccn", "City Centre North B and B"),
          Map.entry("alexander", "Alexander Bed and Breakfast"),
          Map.entry("carolina", "Carolina Bed and Breakfast"),
          Map.entry("rosa", "Rosa's Bed and Breakfast"),
          Map.entry("nandos", "Nandos"),
          Map.entry("nandos-cc", "Nandos City Centre"),
          Map.entry("ask", "Ask Restaurant"),
          Map.entry("palace", "Tandoori Palace"),
          Map.entry("sitar", "Sitar Tandoori"),
          Map.entry("taj", "Taj Tandoori"),
          Map.entry("city-stop", "City Stop Restaurant"),
          Map.entry("golden", "Golden House"));

  private final TitleMentions mentions = new TitleMentions(TITLES);

  @Test
  void should_resolve_they_to_the_place_named_last() {
    Set<String> named =
        mentions.earlier(
            "Do they allow pets?",
            List.of("Is the Acorn Guest House nice?", "Yes. The Hobsons House has 3 stars too."));

    assertEquals(Set.of("hobsons"), named);
  }

  @Test
  void should_name_nothing_earlier_when_the_question_names_a_place_itself() {
    assertEquals(Set.of(), mentions.earlier("What about Acorn Guest House?", List.of("Hobsons House it is.")));
    assertEquals(Set.of("acorn"), mentions.named("What about Acorn Guest House?"));
  }

  @Test
  void should_forgive_a_typo_in_a_long_name_and_read_ampersands() {
    assertEquals(Set.of("aylesbray"), mentions.named("I recommend the ayelsbray lodge guest house"));
    assertEquals(Set.of("ab"), mentions.named("I recommend the A & B Guest House in the east."));
    assertEquals(Set.of("rosa"), mentions.named("Are you familiar with Rosa's bed and breakfast?"));
  }

  @Test
  void should_not_take_everyday_words_for_names() {
    assertEquals(Set.of(), mentions.named("I prefer a place with very well-kept bathrooms"), "palace is not place");
    assertEquals(Set.of(), mentions.named("Could I also ask that the room be clean?"), "ask alone is a verb");
    assertEquals(Set.of(), mentions.named("Yes, that is located North."), "north alone is a direction");
    assertEquals(Set.of(), mentions.named("I need a guest house with a good price"));
  }

  @Test
  void should_prefer_the_title_the_message_covers_best() {
    assertEquals(Set.of("nandos"), mentions.named("Nandos is a cheap Portuguese restaurant"));
    assertEquals(Set.of("nandos-cc"), mentions.named("the Nandos City Centre branch"));
  }

  @Test
  void should_return_nothing_when_no_message_names_a_document() {
    assertEquals(Set.of(), mentions.earlier("Is the wifi good?", List.of("Your reference number is BQFEHIGK.")));
  }

  @Test
  void should_measure_transpositions_as_one_edit() {
    assertEquals(1, TitleMentions.distance("ayelsbray", "aylesbray", 2));
    assertEquals(3, TitleMentions.distance("abc", "xyz", 2), "gives up past the limit");
  }
}
