package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.ingest.DocumentResult;
import dev.supportagent.workflows.ingest.IndexPlan;
import dev.supportagent.workflows.ingest.IngestActivities;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.ingest.SourceListing;
import dev.supportagent.workflows.ingest.SourcePage;
import dev.supportagent.workflows.ingest.Uploads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory source and index: {@link #source} maps document ids to content; a document whose
 * content is {@code BROKEN} fails to parse; each document yields one chunk per 10 characters.
 */
public final class FakeIngestActivities implements IngestActivities {

  public final Map<String, String> source = new ConcurrentHashMap<>();
  /** index name → (document id → content hash). */
  public final Map<String, Map<String, String>> indexes = new ConcurrentHashMap<>();
  public volatile String aliasTarget;
  public final AtomicInteger indexed = new AtomicInteger();
  public final AtomicInteger published = new AtomicInteger();

  public final AtomicInteger pagesPlanned = new AtomicInteger();

  @Override
  public String chooseIndex(String alias, boolean fullRebuild, String runToken) {
    String index = fullRebuild || aliasTarget == null ? alias + "-" + runToken : aliasTarget;
    indexes.computeIfAbsent(index, i -> new ConcurrentHashMap<>());
    return index;
  }

  /** A source named {@code upload:...} is partial, like a real upload. */
  @Override
  public SourcePage planPage(String source, String index, String after, int limit) {
    List<SourceDocument> all = listSource(source).documents();
    List<SourceDocument> rest =
        all.stream().filter(d -> after == null || d.documentId().compareTo(after) > 0).toList();
    List<SourceDocument> page = rest.subList(0, Math.min(limit, rest.size()));
    Map<String, String> existing = indexes.get(index);
    List<SourceDocument> changed =
        page.stream().filter(d -> !d.contentHash().equals(existing.get(d.documentId()))).toList();
    pagesPlanned.incrementAndGet();
    String last = page.isEmpty() ? after : page.get(page.size() - 1).documentId();
    return new SourcePage(
        changed, page.size() - changed.size(), last, rest.size() > page.size(), all.size(),
        Uploads.isUpload(source));
  }

  @Override
  public int deleteMissing(String source, String index) {
    List<String> gone =
        indexes.get(index).keySet().stream().filter(id -> !this.source.containsKey(id)).toList();
    return deleteDocuments(index, gone);
  }

  @Override
  public SourceListing listSource(String folder) {
    if (source.isEmpty()) {
      throw FailureType.INVALID_SOURCE.failure("source folder has no files: " + folder);
    }
    List<SourceDocument> docs = new ArrayList<>();
    source.keySet().stream().sorted().forEach(id -> docs.add(new SourceDocument(id, "h" + source.get(id).hashCode())));
    return new SourceListing(folder, docs, false);
  }

  @Override
  public IndexPlan prepareIndex(String alias, boolean fullRebuild, String runToken) {
    String index = fullRebuild || aliasTarget == null ? alias + "-" + runToken : aliasTarget;
    return new IndexPlan(index, Map.copyOf(indexes.computeIfAbsent(index, i -> new ConcurrentHashMap<>())));
  }

  @Override
  public DocumentResult indexDocument(String folder, String index, SourceDocument document) {
    String content = source.get(document.documentId());
    if ("BROKEN".equals(content)) {
      return new DocumentResult(document.documentId(), 0, "unreadable PDF: IOException");
    }
    indexed.incrementAndGet();
    indexes.get(index).put(document.documentId(), document.contentHash());
    return new DocumentResult(document.documentId(), 1 + content.length() / 10, null);
  }

  @Override
  public int deleteDocuments(String index, List<String> documentIds) {
    int n = 0;
    for (String id : documentIds) {
      n += indexes.get(index).remove(id) == null ? 0 : 1;
    }
    return n;
  }

  @Override
  public void publish(String alias, String index) {
    published.incrementAndGet();
    aliasTarget = index;
  }
}
