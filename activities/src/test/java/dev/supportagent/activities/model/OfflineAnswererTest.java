package dev.supportagent.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OfflineAnswererTest {

  private final OfflineAnswerer answerer = new OfflineAnswerer();

  private static Passage passage(String doc, String title, String text, double score) {
    return new Passage(doc + "#0", doc, title, null, null, text, score);
  }

  /** The answer's sentences, markers out. */
  private static List<String> sentencesOf(GeneratedAnswer a) {
    List<String> out = new ArrayList<>();
    for (String s : a.text().split("\\s*\\[\\d+]\\s*")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /**
   * A fake embedding model: one dimension per topic, a text pointing along each topic whose words
   * it holds, so that "cost" and "price" meet without sharing a word. Counts the texts embedded.
   */
  private static final class TopicEmbeddings implements EmbeddingModel {
    private static final List<List<String>> TOPICS =
        List.of(List.of("cost", "price", "dollars", "pay"), List.of("renew", "automatically", "month"),
            List.of("light", "bulb", "lamp"), List.of("hub", "router", "wifi"));
    final AtomicInteger embedded = new AtomicInteger();

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> out = new ArrayList<>();
      for (TextSegment s : segments) {
        embedded.incrementAndGet();
        float[] v = new float[TOPICS.size() + 1];
        v[TOPICS.size()] = 0.1f;
        String text = s.text().toLowerCase(Locale.ROOT);
        for (int t = 0; t < TOPICS.size(); t++) {
          for (String w : TOPICS.get(t)) {
            if (text.contains(w)) {
              v[t] += 1;
            }
          }
        }
        out.add(Embedding.from(v));
      }
      return Response.from(out);
    }
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
  void should_never_quote_headings_labels_or_colon_fragments_when_the_passage_has_them() {
    // the shape of the replies in issue 14: headings and "include:" fragments strung together
    String text = String.join("\n",
        "Choosing the right model",
        "How to reduce latency",
        "Some success metrics to consider include:",
        "Category: latency",
        "Example 2:",
        "Phone : 1 - 518 - 474 - 8943 Fax : 1 - 518 - 486 - 4102",
        "How do I reduce latency?",
        "To reduce latency, choose a smaller model and stream the response as it is generated.",
        "```",
        "latency = first_token + tokens * per_token_time.",
        "```",
        "| Model | Latency |",
        "|---|---|");
    GeneratedAnswer a = answerer.answer(
        "how can I reduce latency when choosing the right model?", List.of(passage("guide.md", "Guide", text, 0.9)),
        true);

    assertEquals(
        List.of("To reduce latency, choose a smaller model and stream the response as it is generated."),
        sentencesOf(a));
  }

  @Test
  void should_leave_out_run_together_headings_and_pieces_cut_by_the_chunk_window() {
    String text = "benefit based on your own work record, as the rules allow.\n"
        + "Get VA health care Manage your health and benefits More information and resources\n"
        + "You can apply for health care online, by phone or in person at a medical center.\n"
        + "If you are employed in an occupation that";

    assertEquals(List.of("You can apply for health care online, by phone or in person at a medical center."),
        OfflineAnswerer.sentences(text));
  }

  @Test
  void should_decline_when_the_passages_hold_only_headings_and_labels() {
    String text = "Choosing the right model\nSome success metrics to consider include:\nCategory: restaurant\n";

    GeneratedAnswer a =
        answerer.answer("choosing the right model", List.of(passage("guide.md", "Guide", text, 0.9)), true);

    assertTrue(a.declined());
    assertEquals(OfflineAnswerer.DECLINE_TEXT, a.text());
    assertTrue(a.citations().isEmpty());
  }

  @Test
  void should_read_a_list_with_the_line_that_introduces_it_as_one_sentence() {
    String text = "Some success metrics to consider include:\n- accuracy\n- latency per request\n- cost per answer\n";

    assertEquals(
        List.of("Some success metrics to consider include: accuracy, latency per request and cost per answer."),
        OfflineAnswerer.sentences(text));
  }

  @Test
  void should_cite_each_sentence_with_the_document_of_its_own_passage() {
    List<Passage> passages = List.of(
        passage("plans/pricing.md", "Pricing", "The Plus plan costs four dollars a month, billed monthly.", 0.9),
        passage("plans/trial.md", "Trial", "Every plan starts with a free trial of thirty days before you pay.", 0.8));

    GeneratedAnswer a = answerer.answer("how much does the plus plan cost per month, and is there a free trial?",
        passages, true);

    assertEquals(List.of("plans/pricing.md", "plans/trial.md"),
        a.citations().stream().map(Citation::documentId).toList());
    assertTrue(a.text().startsWith("The Plus plan costs four dollars a month, billed monthly. [1]"), a.text());
    assertTrue(a.text().endsWith("before you pay. [2]"), a.text());
  }

  @Test
  void should_keep_the_passage_order_when_two_sentences_of_one_passage_are_picked() {
    String text = "Hold the reset button on the hub for ten seconds until the light blinks."
        + " Unrelated sentence about our company history and values here."
        + " The hub reset takes about two minutes to finish, then pair the hub again.";

    GeneratedAnswer a = answerer.answer("how long does a hub reset take and how do I reset the hub",
        List.of(passage("hub.md", "Hub", text, 0.9)), true);

    List<String> sentences = sentencesOf(a);
    assertEquals(2, sentences.size(), a.text());
    assertTrue(sentences.get(0).startsWith("Hold the reset button"), a.text());
    assertTrue(sentences.get(1).startsWith("The hub reset takes"), a.text());
  }

  @Test
  void should_prefer_the_semantically_closest_sentence_when_a_model_is_given() {
    String text = "Plans renew automatically every month unless you cancel them."
        + " The price is four dollars, charged to the card on file.";
    List<Passage> passages = List.of(passage("plans.md", "Plans", text, 0.9));
    TopicEmbeddings model = new TopicEmbeddings();

    GeneratedAnswer withModel = new OfflineAnswerer(model).answer("what will I be charged", passages, true);

    assertEquals(List.of("The price is four dollars, charged to the card on file."), sentencesOf(withModel));
  }

  @Test
  void should_embed_a_passage_sentence_once_when_it_is_retrieved_again() {
    TopicEmbeddings model = new TopicEmbeddings();
    OfflineAnswerer withModel = new OfflineAnswerer(model);
    List<Passage> passages = List.of(passage("plans.md", "Plans",
        "Plans renew automatically every month. The price is four dollars a month.", 0.9));

    withModel.answer("what does it cost", passages, true);
    int first = model.embedded.get();
    withModel.answer("what is the price", passages, true);

    assertEquals(first + 1, model.embedded.get(), "only the new question is embedded");
  }

  @Test
  void should_read_a_short_question_with_the_customer_previous_message() {
    List<Passage> passages = List.of(passage("dmv.md", "Plates",
        "Vehicle registration renews every two years at any office near you."
            + " If your registration has not expired, you must turn in your plates within ten days.", 0.9));

    GeneratedAnswer a = answerer.answer("Yes",
        List.of(new HistoryMessage("user", "my registration has not expired, what about plates?"),
            new HistoryMessage("agent", "Do you still have the plates?")),
        passages, true);

    assertEquals(List.of("If your registration has not expired, you must turn in your plates within ten days."),
        sentencesOf(a));
  }

  @Test
  void should_not_split_sentences_after_abbreviations_or_initials() {
    assertEquals(
        List.of("Bring a proof of address, e.g. a utility bill, to the office of J. Smith downtown.",
            "It opens at nine every weekday morning."),
        OfflineAnswerer.sentences(
            "Bring a proof of address, e.g. a utility bill, to the office of J. Smith downtown. It opens at nine"
                + " every weekday morning."));
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
  void should_reject_unknown_weights_when_parsing_them() {
    assertEquals(0.5, OfflineAnswerer.Weights.parse("margin=0.5").margin());
    assertThrows(IllegalArgumentException.class, () -> OfflineAnswerer.Weights.parse("marjin=0.5"));
  }

  @Test
  void should_be_deterministic() {
    List<Passage> passages = List.of(passage("a.md", "A", "Plans start at four dollars. Pro adds history.", 0.9));

    assertEquals(answerer.answer("how much are plans", passages, true), answerer.answer("how much are plans", passages, true));
  }
}
