package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TurnEmbeddingsTest {

  final AtomicInteger computed = new AtomicInteger();
  final EmbeddingModel counting =
      new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
          return Response.from(segments.stream().map(s -> {
            computed.incrementAndGet();
            return Embedding.from(new float[] {s.text().length(), 1});
          }).toList());
        }
      };

  @Test
  void should_embed_a_text_once_while_it_is_recent_and_forget_the_oldest_past_the_bound() {
    TurnEmbeddings embeddings = new TurnEmbeddings(counting);

    float[] first = embeddings.embed("how do I reset my password?").content().vector();
    float[] again = embeddings.embed("how do I reset my password?").content().vector();

    assertArrayEquals(first, again);
    assertEquals(1, computed.get(), "the guard's embedding served retrieval");
    for (int i = 0; i < TurnEmbeddings.KEPT; i++) {
      embeddings.embed("question " + i);
    }
    embeddings.embed("how do I reset my password?");
    assertEquals(2 + TurnEmbeddings.KEPT, computed.get(), "pushed out by newer texts, computed again");
  }
}
