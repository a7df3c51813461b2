package dev.supportagent.activities.ingest;

import dev.supportagent.activities.ingest.DocumentParser.UnreadableDocumentException;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.ingest.DocumentResult;
import dev.supportagent.workflows.ingest.IndexPlan;
import dev.supportagent.workflows.ingest.IngestActivities;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.ingest.SourceListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ingestion steps. Sources are folders below one knowledge-base root, so an ingestion request
 * cannot read any other file of the worker's machine.
 */
public class IngestActivitiesImpl implements IngestActivities {

  private final DocumentIndexer indexer;
  private final DocumentParser parser;
  private final Path root;

  public IngestActivitiesImpl(DocumentIndexer indexer, DocumentParser parser, Path root) {
    this.indexer = indexer;
    this.parser = parser;
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public SourceListing listSource(String source) {
    Path folder = resolve(source);
    if (!Files.isDirectory(folder)) {
      throw FailureType.INVALID_SOURCE.failure("source folder not found: " + source);
    }
    List<SourceDocument> documents = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          documents.add(
              new SourceDocument(
                  KnowledgeBaseIndexer.documentId(folder, file),
                  KnowledgeBaseIndexer.contentHash(Files.readAllBytes(file))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (documents.isEmpty()) {
      throw FailureType.INVALID_SOURCE.failure("source folder has no files: " + source);
    }
    return new SourceListing(root.relativize(folder).toString(), documents);
  }

  @Override
  public IndexPlan prepareIndex(String alias, boolean fullRebuild, String runToken) {
    try {
      String current = indexer.currentIndex(alias);
      String index = fullRebuild || current == null ? alias + "-" + runToken : current;
      indexer.createIndexIfMissing(index);
      return new IndexPlan(index, indexer.contentHashes(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public DocumentResult indexDocument(String source, String index, SourceDocument document) {
    Path file = resolve(source).resolve(document.documentId()).normalize();
    try {
      String markdown = parser.parse(file, document.documentId());
      int chunks = indexer.write(index, document.documentId(), markdown, document.contentHash(), index);
      return new DocumentResult(document.documentId(), chunks, null);
    } catch (UnreadableDocumentException e) {
      return new DocumentResult(document.documentId(), 0, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int deleteDocuments(String index, List<String> documentIds) {
    int deleted = 0;
    try {
      for (String id : documentIds) {
        deleted += indexer.deleteDocument(index, id) ? 1 : 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deleted;
  }

  @Override
  public void publish(String alias, String index) {
    try {
      indexer.publish(alias, index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path resolve(String source) {
    Path folder = root.resolve(source == null ? "" : source).normalize();
    if (!folder.startsWith(root)) {
      throw FailureType.INVALID_SOURCE.failure("source is outside the knowledge-base root: " + source);
    }
    return folder;
  }
}
