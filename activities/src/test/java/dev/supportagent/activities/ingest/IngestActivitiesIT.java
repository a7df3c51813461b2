package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.ingest.DocumentResult;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.ingest.SourcePage;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingestion steps on the real Elasticsearch: formats, failures, updates in place, deletion. */
class IngestActivitiesIT {

  @TempDir static Path root;
  static ElasticsearchClient es;
  static IngestActivitiesImpl activities;
  static String alias;
  static String index;

  @BeforeAll
  static void setUp() {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    activities =
        new IngestActivitiesImpl(
            new DocumentIndexer(es, new AllMiniLmL6V2EmbeddingModel(), new MarkdownChunker(64, 12)),
            new DocumentParser(),
            root,
            UploadStore.of(uploaded));
    alias = "kb-ingest-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (es != null) {
      if (index != null) {
        es.indices().delete(d -> d.index(index));
      }
      es.close();
    }
  }

  private static long chunksOf(String documentId) throws Exception {
    es.indices().refresh(r -> r.index(index));
    return es.count(c -> c.index(index).query(q -> q.term(t -> t.field("document_id").value(documentId)))).count();
  }

  static final Map<String, Map<String, byte[]>> uploaded = new ConcurrentHashMap<>();
  static int deleted;

  /** What the workflow does, in pages of two documents. */
  private static Map<String, DocumentResult> ingest(String source) {
    index = activities.chooseIndex(alias, false, "it");
    Map<String, DocumentResult> results = new HashMap<>();
    String after = null;
    SourcePage page;
    do {
      page = activities.planPage(source, index, after, 2);
      for (SourceDocument d : page.changed()) {
        results.put(d.documentId(), activities.indexDocument(source, index, d));
      }
      after = page.last();
    } while (page.more());
    deleted = page.partial() ? 0 : activities.deleteMissing(source, index);
    activities.publish(alias, index);
    return results;
  }

  @Test
  void should_ingest_each_format_report_failures_update_in_place_and_delete() throws Exception {
    Path kb = Files.createDirectories(root.resolve("kb/guides"));
    Files.writeString(kb.resolve("long.md"), "# Long guide\n\n## Part\n" + "word ".repeat(200));
    Files.writeString(kb.resolve("page.html"), "<title>Page</title><h2>Intro</h2><p>Hello from HTML.</p>");
    Files.writeString(kb.resolve("notes.txt"), "Plain notes about returns.");
    DocumentParserTest.writePdf(kb.resolve("terms.pdf"), "Terms", List.of("Refunds within 14 days."));
    Files.writeString(kb.resolve("broken.pdf"), "%PDF-1.4 not really");
    Files.write(kb.resolve("logo.png"), new byte[] {1, 2, 3});

    Map<String, DocumentResult> first = ingest("kb");

    assertEquals(6, first.size());
    assertEquals(4, first.get("guides/long.md").chunks(), "200 one-token words in windows of 64 tokens less the title and section");
    assertNull(first.get("guides/page.html").failure());
    assertNull(first.get("guides/terms.pdf").failure());
    assertTrue(first.get("guides/broken.pdf").failure().startsWith("unreadable PDF"));
    assertTrue(first.get("guides/logo.png").failure().startsWith("unsupported type"));
    assertEquals(4, chunksOf("guides/long.md"));
    assertEquals(index, es.indices().getAlias(a -> a.name(alias)).aliases().keySet().iterator().next());

    // unchanged documents are skipped; a shorter version leaves no stale chunks behind
    Files.writeString(kb.resolve("long.md"), "# Long guide\n\n## Part\n" + "word ".repeat(50));
    Map<String, DocumentResult> second = ingest("kb");
    assertEquals(
        List.of("guides/broken.pdf", "guides/logo.png", "guides/long.md"),
        second.keySet().stream().sorted().toList(),
        "only the changed document and the ones that failed are tried again");
    assertEquals(1, chunksOf("guides/long.md"));
    assertEquals(0, deleted);

    // a deleted file loses its chunks
    Files.delete(kb.resolve("notes.txt"));
    Map<String, DocumentResult> third = ingest("kb");
    assertEquals(1, deleted);
    assertEquals(0, chunksOf("guides/notes.txt"));
    assertEquals(1, chunksOf("guides/page.html"));
    assertFalse(third.containsKey("guides/page.html"));

    // an upload adds and replaces documents and removes none
    uploaded.put("u1", Map.of(
        "guides/page.html", "<title>Page</title><p>Hello again, changed.</p>".getBytes(StandardCharsets.UTF_8),
        "faq/new.md", "# New\nA new answer.".getBytes(StandardCharsets.UTF_8)));
    Map<String, DocumentResult> upload = ingest("upload:u1");
    assertEquals(List.of("faq/new.md", "guides/page.html"), upload.keySet().stream().sorted().toList());
    assertEquals(0, deleted);
    assertEquals(1, chunksOf("faq/new.md"));
    assertEquals(1, chunksOf("guides/terms.pdf"), "documents the upload does not hold stay");
    ApplicationFailure expired =
        assertThrows(ApplicationFailure.class, () -> activities.planPage("upload:gone", index, null, 2));
    assertEquals(FailureType.INVALID_SOURCE.type(), expired.getType());
  }

  @Test
  void should_refuse_a_source_outside_the_root_or_without_files() throws Exception {
    Files.createDirectories(root.resolve("empty"));

    ApplicationFailure outside = assertThrows(ApplicationFailure.class, () -> activities.listSource("../etc"));
    ApplicationFailure empty = assertThrows(ApplicationFailure.class, () -> activities.listSource("empty"));
    ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> activities.listSource("nope"));
    String anyIndex = activities.chooseIndex(alias, false, "it");
    ApplicationFailure pagedOutside =
        assertThrows(ApplicationFailure.class, () -> activities.planPage("../etc", anyIndex, null, 10));
    ApplicationFailure pagedEmpty =
        assertThrows(ApplicationFailure.class, () -> activities.planPage("empty", anyIndex, null, 10));

    for (ApplicationFailure f : List.of(outside, empty, missing, pagedOutside, pagedEmpty)) {
      assertEquals(FailureType.INVALID_SOURCE.type(), f.getType());
      assertTrue(f.isNonRetryable());
    }
  }
}
