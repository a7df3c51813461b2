package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.elastic.clients.elasticsearch._types.query_dsl.MultiMatchQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HybridRetrieverTest {

  @Test
  void should_search_the_words_and_their_stems_summed_over_title_section_and_text() {
    Query query = HybridRetriever.bm25Query("Were my payments refunded?");

    List<Query> should = query.bool().should();
    assertEquals(2, should.size());
    MultiMatchQuery words = should.get(0).multiMatch();
    MultiMatchQuery stems = should.get(1).multiMatch();
    assertEquals("Were my payments refunded?", words.query());
    assertEquals(List.of("title", "section", "text"), words.fields());
    assertEquals("were my payment refund", stems.query());
    assertEquals(List.of("title_stems", "section_stems", "text_stems"), stems.fields());
    assertEquals(TextQueryType.MostFields, words.type());
    assertEquals(TextQueryType.MostFields, stems.type());
  }

  @Test
  void should_search_the_words_alone_when_the_question_has_no_stems() {
    Query query = HybridRetriever.bm25Query("is it on?");

    assertEquals(1, query.bool().should().size());
    assertEquals("is it on?", query.bool().should().get(0).multiMatch().query());
  }

  private static Passage passage(String doc, double score) {
    return new Passage(doc + "#0", doc, doc, "", null, "text", score);
  }

  @Test
  void should_take_a_question_as_self_contained_when_it_points_clearly_at_one_document() {
    List<Passage> clear =
        List.of(passage("refunds", 0.86), passage("refunds", 0.84), passage("returns", 0.77),
            passage("plans", 0.76), passage("invoices", 0.75), passage("trial", 0.74));

    assertEquals(1.0, HybridRetriever.selfContained(clear), 1e-9);
  }

  @Test
  void should_not_take_a_question_as_self_contained_when_many_documents_score_alike() {
    List<Passage> alike =
        List.of(passage("a", 0.86), passage("b", 0.85), passage("c", 0.84), passage("d", 0.83), passage("e", 0.82));

    assertEquals(0.0, HybridRetriever.selfContained(alike), 1e-9);
  }

  @Test
  void should_scale_self_containedness_with_the_best_score() {
    List<Passage> middling =
        List.of(passage("a", 0.75), passage("b", 0.66), passage("c", 0.65), passage("d", 0.64), passage("e", 0.63));
    List<Passage> weak =
        List.of(passage("a", 0.71), passage("b", 0.60), passage("c", 0.60), passage("d", 0.60), passage("e", 0.60));

    assertEquals(0.5, HybridRetriever.selfContained(middling), 1e-9);
    assertEquals(0.0, HybridRetriever.selfContained(weak), 1e-9);
    assertEquals(0.0, HybridRetriever.selfContained(List.of()), 1e-9);
  }

  @Test
  void should_read_hybrid_as_the_plain_baseline_and_refuse_an_unknown_mode() {
    assertEquals(HybridRetriever.Mode.PLAIN, HybridRetriever.Mode.parse("hybrid"));
    assertEquals(HybridRetriever.Mode.HYBRID_CONTEXT, HybridRetriever.Mode.parse("hybrid-context"));
    assertEquals(
        Set.of(HybridRetriever.Signal.KNN, HybridRetriever.Signal.BM25, HybridRetriever.Signal.STEMS),
        HybridRetriever.Mode.PLAIN.signals());
    assertThrows(IllegalArgumentException.class, () -> HybridRetriever.Mode.parse("rrf"));
  }

  @Test
  void should_search_the_words_alone_when_stems_are_switched_off() {
    Query query = HybridRetriever.bm25Query("Were my payments refunded?", false);

    assertEquals(1, query.bool().should().size());
  }
}
