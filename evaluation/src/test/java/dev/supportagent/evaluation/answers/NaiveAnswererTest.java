package dev.supportagent.evaluation.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaiveAnswererTest {

  /** Texts holding "refund" point one way, the rest another; "refund" twice points further still. */
  private static final EmbeddingModel WORDS = new EmbeddingModel() {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> out = new ArrayList<>();
      for (TextSegment s : segments) {
        int refunds = s.text().toLowerCase().split("refund", -1).length - 1;
        out.add(Embedding.from(new float[] {refunds, 1}));
      }
      return Response.from(out);
    }
  };

  private static Passage passage(String doc, String text) {
    return new Passage(doc + "#0", doc, doc, null, null, text, 1);
  }

  @Test
  void should_take_the_two_most_similar_sentences_of_the_top_three_passages_headings_included() {
    List<Passage> passages = List.of(
        passage("a.md", "Refunds\nWe ship worldwide. A refund takes five days."),
        passage("b.md", "Delivery is free."),
        passage("c.md", "Nothing here."),
        passage("d.md", "Refund a refund with a refund."));

    GeneratedAnswer a = new NaiveAnswerer(WORDS).answer("refund refund", List.of(), passages, true);

    assertEquals("Refunds [1] A refund takes five days. [1]", a.text(), "the fourth passage is not read");
    assertEquals(List.of("a.md"), a.citations().stream().map(Citation::documentId).toList());
  }

  @Test
  void should_decline_when_nothing_relevant_was_retrieved() {
    GeneratedAnswer a = new NaiveAnswerer(WORDS).answer("refund", List.of(), List.of(passage("a.md", "Refund.")), false);

    assertTrue(a.declined());
    assertEquals(OfflineAnswerer.DECLINE_TEXT, a.text());
  }
}
