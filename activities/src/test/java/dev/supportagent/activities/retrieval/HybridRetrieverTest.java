package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import co.elastic.clients.elasticsearch._types.query_dsl.MultiMatchQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import java.util.List;
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
}
