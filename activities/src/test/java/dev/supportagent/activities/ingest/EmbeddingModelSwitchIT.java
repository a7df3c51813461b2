package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching the embedding model on the real Elasticsearch: the index's vectors follow the model's
 * dimension, and an update in place of an index made with another model is refused, asking for a
 * full rebuild, which then succeeds.
 */
class EmbeddingModelSwitchIT {

  @TempDir static Path root;
  static ElasticsearchClient es;
  static String alias;
  static final List<String> indexes = new ArrayList<>();

  /** A stand-in for a remote model: 8 dimensions, a vector from the text's length. */
  static final class EightDimensions implements EmbeddingModel {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> vectors = new ArrayList<>();
      for (TextSegment s : segments) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
          v[i] = 1 + (s.text().length() + i) % 5;
        }
        vectors.add(Embedding.from(v));
      }
      return Response.from(vectors);
    }

    @Override
    public int dimension() {
      return 8;
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    alias = "kb-switch-it-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(Files.createDirectories(root.resolve("kb")).resolve("refunds.md"), "# Refunds\n\nPaid within 5 days.");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (es != null) {
      for (String index : indexes) {
        es.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      }
      es.close();
    }
  }

  static IngestActivitiesImpl activities(EmbeddingModel model, String name) {
    return new IngestActivitiesImpl(new DocumentIndexer(es, model, name, new MarkdownChunker()), new DocumentParser(), root);
  }

  /** What the workflow does for a one-page source. */
  static String ingest(IngestActivitiesImpl activities, boolean fullRebuild, String runToken) {
    String index = activities.chooseIndex(alias, fullRebuild, runToken);
    indexes.add(index);
    for (SourceDocument d : activities.planPage("kb", index, null, 100).changed()) {
      activities.indexDocument("kb", index, d);
    }
    activities.publish(alias, index);
    return index;
  }

  @Test
  void should_refuse_update_in_place_and_rebuild_when_embedding_model_changes() throws Exception {
    IngestActivitiesImpl remote = activities(new EightDimensions(), "openai:eight-dims-test");
    String first = ingest(remote, false, "one");

    assertEquals(
        new DocumentIndexer.IndexEmbedding("openai:eight-dims-test", 8), DocumentIndexer.embeddingOf(es, alias));
    assertEquals(1, es.count(c -> c.index(alias)).count());

    // the same model again: the update in place is accepted and finds nothing changed
    assertEquals(first, remote.chooseIndex(alias, false, "again"));

    // another model of the same width: refused, its vectors would not be comparable
    IngestActivitiesImpl other = activities(new EightDimensions(), "openai:other-eight-dims");
    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> other.chooseIndex(alias, false, "two"));
    assertEquals(FailureType.INVALID_REQUEST.type(), refused.getType());
    assertTrue(refused.getOriginalMessage().contains("run a full rebuild"), refused.getOriginalMessage());

    // a full rebuild writes a new index with the new model and moves the alias to it
    String rebuilt = ingest(other, true, "three");
    assertNotEquals(first, rebuilt);
    assertEquals(
        new DocumentIndexer.IndexEmbedding("openai:other-eight-dims", 8), DocumentIndexer.embeddingOf(es, alias));
  }
}
