package dev.supportagent.activities.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

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
    assertTrue(cosine(q, d) > 0.97, "cosine " + cosine(q, d));
    // and the query still tells a matching passage from an unrelated one
    float[] cancel = documents.embed("To cancel your subscription, open Settings and choose Cancel plan.").content().vector();
    float[] bulbs = documents.embed("Bulbs with an E27 base fit most ceiling lamps in Europe.").content().vector();
    assertTrue(cosine(q, cancel) > cosine(q, bulbs) + 0.2, cosine(q, cancel) + " against " + cosine(q, bulbs));
  }
}
