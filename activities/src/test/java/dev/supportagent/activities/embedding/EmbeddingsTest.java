package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {

  @Test
  void should_embed_queries_in_the_documents_vector_space() {
    EmbeddingModel documents = Embeddings.documents();
    EmbeddingModel queries = Embeddings.queries();
    String question = "how do I cancel my subscription?";
    float[] q = queries.embed(question).content().vector();
    float[] d = documents.embed(question).content().vector();
    assertEquals(384, q.length);
    assertEquals(384, d.length);
    // the same text: nearly the same vector, so a query searches the documents' index as it is
    assertTrue(Vectors.cosine(q, d) > 0.97, "cosine " + Vectors.cosine(q, d));
    // and the query still tells a matching passage from an unrelated one
    float[] cancel = documents.embed("To cancel your subscription, open Settings and choose Cancel plan.").content().vector();
    float[] bulbs = documents.embed("Bulbs with an E27 base fit most ceiling lamps in Europe.").content().vector();
    assertTrue(Vectors.cosine(q, cancel) > Vectors.cosine(q, bulbs) + 0.2, Vectors.cosine(q, cancel) + " against " + Vectors.cosine(q, bulbs));
  }
}
