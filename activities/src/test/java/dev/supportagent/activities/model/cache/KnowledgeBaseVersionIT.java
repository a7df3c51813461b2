package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.workflows.testing.IntegrationEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The knowledge base version on the real Elasticsearch, through the ingestion's own indexer. */
class KnowledgeBaseVersionIT {

  static ElasticsearchClient es;
  static DocumentIndexer indexer;
  static final List<String> indexes = new ArrayList<>();

  @BeforeAll
  static void connect() {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    indexer = new DocumentIndexer(es, new FakeEmbeddings(), new MarkdownChunker());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (es != null) {
      for (String index : indexes) {
        es.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      }
      es.close();
    }
  }

  static String newIndex(String alias) throws Exception {
    String index = alias + "-" + UUID.randomUUID().toString().substring(0, 6);
    indexes.add(index);
    indexer.ensureIndex(index);
    return index;
  }

  static String write(String index, String id, String markdown) throws Exception {
    Thread.sleep(5); // a later write gets a later updated_at
    indexer.write(index, id, markdown, Integer.toHexString(markdown.hashCode()), index);
    es.indices().refresh(r -> r.index(index));
    return id;
  }

  @Test
  void should_change_when_an_ingestion_changes_documents_and_only_then() throws Exception {
    String alias = "it-kbv-" + UUID.randomUUID().toString().substring(0, 8);
    KnowledgeBaseVersion version = new KnowledgeBaseVersion(es, alias, Duration.ZERO, System::nanoTime);
    assertEquals(Optional.empty(), version.current(), "no alias yet");

    String index = newIndex(alias);
    indexer.publish(alias, index);
    assertEquals(Optional.empty(), version.current(), "no chunks yet");

    write(index, "billing/refunds.md", "# Refunds\n\nWithin 14 days.\n");
    write(index, "billing/plans.md", "# Plans\n\nPlus and Pro.\n");
    String v1 = version.current().orElseThrow();
    assertTrue(v1.startsWith(index + "@2@"), v1);
    assertEquals(v1, version.current().orElseThrow(), "nothing changed, same version");

    write(index, "billing/refunds.md", "# Refunds\n\nWithin 30 days.\n");
    String v2 = version.current().orElseThrow();
    assertNotEquals(v1, v2, "a changed document");
    assertTrue(v2.startsWith(index + "@2@"), v2);

    write(index, "shipping/customs.md", "# Customs\n\nNo fees.\n");
    String v3 = version.current().orElseThrow();
    assertTrue(v3.startsWith(index + "@3@"), "an added document: " + v3);

    indexer.deleteDocument(index, "billing/plans.md");
    es.indices().refresh(r -> r.index(index));
    String v4 = version.current().orElseThrow();
    assertTrue(v4.startsWith(index + "@2@"), "a removed document: " + v4);

    String rebuilt = newIndex(alias);
    write(rebuilt, "billing/refunds.md", "# Refunds\n\nWithin 30 days.\n");
    write(rebuilt, "shipping/customs.md", "# Customs\n\nNo fees.\n");
    assertEquals(v4, version.current().orElseThrow(), "the alias has not moved yet");
    indexer.publish(alias, rebuilt);
    indexes.remove(index);
    assertTrue(version.current().orElseThrow().startsWith(rebuilt + "@2@"), "a full rebuild");
  }

  @Test
  void should_read_elasticsearch_at_most_once_per_refresh_interval() throws Exception {
    String alias = "it-kbv-" + UUID.randomUUID().toString().substring(0, 8);
    String index = newIndex(alias);
    indexer.publish(alias, index);
    write(index, "a.md", "# A\n\nText.\n");
    AtomicLong clock = new AtomicLong();
    KnowledgeBaseVersion version = new KnowledgeBaseVersion(es, alias, Duration.ofSeconds(2), clock::get);
    String v1 = version.current().orElseThrow();

    write(index, "b.md", "# B\n\nText.\n");
    clock.addAndGet(Duration.ofMillis(1999).toNanos());
    assertEquals(v1, version.current().orElseThrow(), "within the interval: the copy");
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertNotEquals(v1, version.current().orElseThrow());
  }

  @Test
  void should_be_empty_when_elasticsearch_is_unreachable() {
    ElasticsearchClient gone = ElasticsearchClients.create("http://127.0.0.1:1");
    assertEquals(Optional.empty(), new KnowledgeBaseVersion(gone, "kb-chunks").current());
  }
}
