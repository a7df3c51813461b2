package dev.supportagent.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineAnswererTest {

  private final OfflineAnswerer answerer = new OfflineAnswerer();

  private static Passage passage(String doc, String title, String text, double score) {
    return new Passage(doc + "#0", doc, title, null, null, text, score);
  }

  @Test
  void should_answer_with_the_sentences_that_match_the_question_and_cite_their_document() {
    List<Passage> passages =
        List.of(
            passage("billing/refunds.md", "Refunds",
                "Lumora Labs is proud of its products. You can request a refund within 14 days of"
                    + " purchase. Refunds reach your card in 5 to 10 business days.", 0.9),
            passage("shipping/returns.md", "Returns", "Returns are accepted for 30 days. Pack the item well.", 0.8));

    GeneratedAnswer a = answerer.answer("How many days do I have to request a refund?", passages, true);

    assertFalse(a.declined());
    assertTrue(a.text().contains("request a refund within 14 days"), a.text());
    assertFalse(a.text().contains("proud"), "unrelated sentences are left out: " + a.text());
    assertEquals("billing/refunds.md", a.citations().get(0).documentId());
    assertTrue(a.text().contains("[1]"));
    assertEquals(0.0, a.costUsd());
    assertEquals(OfflineAnswerer.MODEL, a.model());
  }

  @Test
  void should_decline_and_offer_a_person_when_nothing_relevant_was_found() {
    GeneratedAnswer a =
        answerer.answer("what's the weather?", List.of(passage("a.md", "A", "Text about bulbs here.", 0.5)), false);

    assertTrue(a.declined());
    assertEquals(OfflineAnswerer.DECLINE_TEXT, a.text());
    assertEquals(List.<Citation>of(), a.citations());
  }

  @Test
  void should_decline_rather_than_reply_empty_when_the_passages_hold_no_sentence() {
    // found by the answers suite: a help-centre page's first chunk held only a category line
    GeneratedAnswer a =
        answerer.answer(
            "how can i get involved in restaurant marketing",
            List.of(passage("restaurant/ask.md", "Ask Restaurant", "Category: restaurant", 0.02)),
            true);

    assertTrue(a.declined());
    assertEquals(OfflineAnswerer.DECLINE_TEXT, a.text());
    assertTrue(a.citations().isEmpty());
  }

  @Test
  void should_not_repeat_the_same_sentence_from_two_passages() {
    String s = "Hold the reset button for ten seconds to reset the hub.";
    List<Passage> passages = List.of(passage("a.md", "A", s, 0.9), passage("b.md", "B", s, 0.85));

    GeneratedAnswer a = answerer.answer("how do I reset the hub", passages, true);

    assertEquals(1, a.text().split("reset button").length - 1, a.text());
    assertEquals(1, a.citations().size());
  }

  @Test
  void should_read_markdown_tables_lists_and_emphasis_as_plain_sentences() {
    String text =
        "| Charge | Refund available? |\n|---|---|\n| Yearly renewal | Full refund within **14 days** |\n"
            + "- **US:** UPS makes up to 3 delivery attempts.\n"
            + "This article explains refunds in general terms.";

    List<String> sentences = OfflineAnswerer.sentences(text);

    assertEquals(
        List.of("Yearly renewal: Refund available Full refund within 14 days.",
            "US: UPS makes up to 3 delivery attempts."),
        sentences);
  }

  @Test
  void should_be_deterministic() {
    List<Passage> passages = List.of(passage("a.md", "A", "Plans start at four dollars. Pro adds history.", 0.9));

    assertEquals(answerer.answer("how much are plans", passages, true), answerer.answer("how much are plans", passages, true));
  }
}
