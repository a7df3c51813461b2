package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingestion and kNN retrieval on the real Elasticsearch, over the sample help centre. */
class KnowledgeBaseIT {

  static final Path SAMPLE_KB = Path.of("../deploy/local/sample-kb");

  static ElasticsearchClient es;
  static EmbeddingModel embeddings;
  static String alias;
  static KnowledgeBaseIndexer indexer;
  static KnowledgeBaseIndexer.Report first;
  static ElasticsearchRetrievalActivitiesImpl retrieval;

  @BeforeAll
  static void ingest() throws Exception {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    embeddings = new AllMiniLmL6V2EmbeddingModel();
    alias = "kb-it-" + UUID.randomUUID().toString().substring(0, 8);
    indexer = new KnowledgeBaseIndexer(es, embeddings, new MarkdownChunker(), alias);
    first = indexer.ingest(SAMPLE_KB);
    retrieval =
        new ElasticsearchRetrievalActivitiesImpl(
            es, embeddings, alias, HybridRetriever.Mode.HYBRID_CONTEXT,
            ElasticsearchRetrievalActivitiesImpl.DEFAULT_RELEVANCE_THRESHOLD,
            new StageTimer(OpenTelemetry.noop()));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (es != null) {
      // Elasticsearch refuses wildcard deletes (action.destructive_requires_name)
      es.indices().delete(d -> d.index(first.index()));
      es.close();
    }
  }

  private static RetrievalResult ask(String question) {
    return retrieval.retrieve(new RetrievalRequest("c", "t", question, List.of(), 5));
  }

  @Test
  void should_index_every_document_of_the_sample_help_centre() throws Exception {
    long documents;
    try (var files = Files.walk(SAMPLE_KB)) {
      documents = files.filter(p -> p.toString().endsWith(".md")).count();
    }
    assertFalse(first.skipped());
    assertEquals(documents, first.documents());
    assertTrue(first.chunks() >= documents, "at least one chunk a document: " + first.chunks());
    assertEquals(first.chunks(), es.count(c -> c.index(alias)).count());
  }

  @Test
  void should_skip_an_unchanged_folder() throws Exception {
    KnowledgeBaseIndexer.Report again = indexer.ingest(SAMPLE_KB);

    assertTrue(again.skipped());
    assertEquals(first.index(), again.index());
    assertEquals(first.index(), indexer.currentIndex());
  }

  @Test
  void should_find_the_document_that_answers_a_question() {
    RetrievalResult r = ask("How many days do I have to ask for a refund?");

    assertTrue(r.relevant(), "best score " + r.passages().get(0).score());
    assertEquals(first.kbVersion(), r.kbVersion());
    List<String> docs = r.passages().stream().map(Passage::documentId).toList();
    assertTrue(docs.subList(0, 3).contains("billing/refunds.md"), docs.toString());
    assertTrue(r.passages().get(0).text().length() > 20);
  }

  private static String topDocument(String question, String... context) {
    return retrieval.retrieve(new RetrievalRequest("c", "t", question, List.of(context), 5))
        .passages().get(0).documentId();
  }

  @Test
  void should_search_a_follow_up_that_changes_the_topic_on_its_own() {
    String top =
        topDocument(
            "And how do I get a refund if that does not work?",
            "My lights keep flickering after the update, what should I do?",
            "If a single bulb still flickers on a standard switch after a firmware update, swap it with another "
                + "bulb. [1] Lights stay in their current state and wall switches keep working, but the app and "
                + "voice assistants cannot control lights while the hub updates. [2] If the hub light keeps "
                + "blinking red after that, see the factory reset article. [2]");

    assertEquals("billing/refunds.md", top);
  }

  @Test
  void should_search_a_follow_up_that_leans_on_the_conversation_with_it() {
    String top =
        topDocument(
            "and how much does it cost?",
            "How long does delivery take to Germany?",
            "Standard: Delivery time after dispatch 2-4 business days. [1] Deliveries to the Scottish Highlands "
                + "may take 1-2 extra days on standard shipping. [1]");

    assertEquals("shipping/delivery-times-and-costs.md", top);
  }

  @Test
  void should_say_nothing_is_relevant_for_an_off_topic_question() {
    RetrievalResult r = ask("What is the capital of Australia?");

    assertFalse(r.relevant(), "best score " + r.passages().get(0).score());
  }

  @Test
  void should_fail_without_retry_when_the_knowledge_base_is_missing() {
    var missing =
        new ElasticsearchRetrievalActivitiesImpl(
            es, embeddings, "kb-missing-" + UUID.randomUUID(), HybridRetriever.Mode.PLAIN, 0.7,
            new StageTimer(OpenTelemetry.noop()));

    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class,
            () -> missing.retrieve(new RetrievalRequest("c", "t", "refund", List.of(), 5)));
    assertTrue(e.isNonRetryable());
    assertEquals(FailureType.KNOWLEDGE_BASE_MISSING.type(), e.getType());
  }

  @Test
  void should_find_stems_in_an_index_made_before_the_stem_fields() throws Exception {
    ObjectNode mapping;
    try (InputStream in = KnowledgeBaseIT.class.getResourceAsStream("/kb-chunks-mapping.json")) {
      mapping = (ObjectNode) new ObjectMapper().readTree(in);
    }
    ObjectNode fields = (ObjectNode) mapping.get("mappings").get("properties");
    fields.remove(List.of("title_stems", "section_stems", "text_stems"));
    String old = "kb-it-old-" + UUID.randomUUID().toString().substring(0, 8);
    es.indices().create(c -> c.index(old).withJson(new StringReader(mapping.toString())));
    try {
      DocumentIndexer documents = new DocumentIndexer(es, embeddings, new MarkdownChunker());

      documents.ensureIndex(old);
      documents.write(old, "billing/refunds.md", "# Refunds\n\nCards are refunded within 10 days.", "h", "v");
      es.indices().refresh(r -> r.index(old));

      var hits = es.search(s -> s.index(old).query(HybridRetriever.bm25Query("refunding my card")), Void.class);
      assertEquals(1, hits.hits().hits().size());
      assertTrue(
          es.indices().getMapping(m -> m.index(old)).get(old).mappings().properties().containsKey("text_stems"));
    } finally {
      es.indices().delete(d -> d.index(old));
    }
  }

  @Test
  void should_drop_the_rest_of_a_longer_version_written_a_moment_before_without_a_refresh() throws Exception {
    String index = "kb-it-race-" + UUID.randomUUID().toString().substring(0, 8);
    DocumentIndexer documents = new DocumentIndexer(es, embeddings, new MarkdownChunker());
    documents.ensureIndex(index);
    // no periodic refresh: a search cannot see what was just written, only a get by id can
    es.indices().putSettings(p -> p.index(index).settings(st -> st.refreshInterval(t -> t.time("-1"))));
    try {
      StringBuilder longer = new StringBuilder("# Returns\n\n");
      for (int i = 0; i < 40; i++) {
        longer.append("## Case ").append(i).append("\n\nReturn case number ").append(i)
            .append(" is handled by the returns team within five working days of the parcel arriving.\n\n");
      }
      int first = documents.write(index, "shipping/returns.md", longer.toString(), "h1", "v1");
      int second = documents.write(index, "shipping/returns.md", "# Returns\n\nSend it back within 30 days.", "h2", "v2");
      es.indices().refresh(r -> r.index(index));

      assertTrue(first > 32, "the first version spans more than one batch of ids: " + first);
      var hits = es.search(
          s -> s.index(index).size(100).query(q -> q.term(t -> t.field("document_id").value("shipping/returns.md"))),
          Void.class);
      List<String> ids = hits.hits().hits().stream().map(h -> h.id()).sorted().toList();
      List<String> expected = new ArrayList<>();
      for (int n = 0; n < second; n++) {
        expected.add(DocumentIndexer.chunkId("shipping/returns.md", n));
      }
      assertEquals(expected.stream().sorted().toList(), ids);
    } finally {
      es.indices().delete(d -> d.index(index));
    }
  }

  @Test
  void should_reject_a_missing_folder_clearly() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> indexer.ingest(Path.of("no/such/folder")));
    assertTrue(e.getMessage().contains("no/such/folder"));
  }
}
