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
import dev.supportagent.workflows.ingest.SourcePage;
import dev.supportagent.workflows.ingest.Uploads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The ingestion steps. Sources are folders below one knowledge-base root, so an ingestion request
 * cannot read any other file of the worker's machine, or uploads waiting in Redis ({@link Uploads}).
 */
public class IngestActivitiesImpl implements IngestActivities {

  private final DocumentIndexer indexer;
  private final DocumentParser parser;
  private final Path root;
  private final UploadStore uploads;

  public IngestActivitiesImpl(DocumentIndexer indexer, DocumentParser parser, Path root) {
    this(indexer, parser, root, UploadStore.of(Map.of()));
  }

  public IngestActivitiesImpl(DocumentIndexer indexer, DocumentParser parser, Path root, UploadStore uploads) {
    this.indexer = indexer;
    this.parser = parser;
    this.root = root.toAbsolutePath().normalize();
    this.uploads = uploads;
  }

  /** A source's documents: ids in order and their bytes. */
  private interface Source {
    List<String> ids() throws IOException;

    /** The document's bytes, or null when it has gone since it was listed. */
    byte[] read(String id) throws IOException;

    boolean partial();
  }

  private Source open(String source) {
    if (Uploads.isUpload(source)) {
      String uploadId = Uploads.uploadId(source);
      return new Source() {
        @Override
        public List<String> ids() {
          return uploads.names(uploadId);
        }

        @Override
        public byte[] read(String id) {
          return uploads.read(uploadId, id);
        }

        @Override
        public boolean partial() {
          return true;
        }
      };
    }
    Path folder = resolve(source);
    return new Source() {
      @Override
      public List<String> ids() throws IOException {
        if (!Files.isDirectory(folder)) {
          return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
          return walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .map(f -> KnowledgeBaseIndexer.documentId(folder, f))
              .sorted()
              .toList();
        }
      }

      @Override
      public byte[] read(String id) throws IOException {
        Path file = folder.resolve(id).normalize();
        return file.startsWith(folder) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      }

      @Override
      public boolean partial() {
        return false;
      }
    };
  }

  @Override
  public String chooseIndex(String alias, boolean fullRebuild, String runToken) {
    try {
      String current = indexer.currentIndex(alias);
      String index = fullRebuild || current == null ? alias + "-" + runToken : current;
      indexer.ensureIndex(index);
      return index;
    } catch (DocumentIndexer.EmbeddingMismatchException e) {
      throw FailureType.INVALID_REQUEST.failure(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public SourcePage planPage(String source, String index, String after, int limit) {
    try {
      Source documents = open(source);
      List<String> ids = documents.ids();
      if (ids.isEmpty()) {
        throw FailureType.INVALID_SOURCE.failure(
            Uploads.isUpload(source)
                ? "upload not found or expired: " + Uploads.uploadId(source)
                : "source folder not found or has no files: " + source);
      }
      int from = after == null ? 0 : insertionPoint(ids, after);
      List<String> page = ids.subList(from, Math.min(ids.size(), from + Math.max(1, limit)));
      Map<String, String> indexed = indexer.contentHashes(index, page);
      List<SourceDocument> changed = new ArrayList<>();
      for (String id : page) {
        byte[] content = documents.read(id);
        String hash = content == null ? "gone" : indexer.contentHash(content);
        if (!hash.equals(indexed.get(id))) {
          changed.add(new SourceDocument(id, hash));
        }
      }
      String last = page.isEmpty() ? after : page.get(page.size() - 1);
      return new SourcePage(
          changed, page.size() - changed.size(), last, from + page.size() < ids.size(), ids.size(),
          documents.partial());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The position of the first id after {@code after} in the sorted {@code ids}. */
  private static int insertionPoint(List<String> ids, String after) {
    int at = Collections.binarySearch(ids, after);
    return at >= 0 ? at + 1 : -at - 1;
  }

  @Override
  public int deleteMissing(String source, String index) {
    try {
      Set<String> present = new HashSet<>(open(source).ids());
      List<String> gone = indexer.documentIds(index).stream().filter(id -> !present.contains(id)).toList();
      return deleteDocuments(index, gone);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
                  indexer.contentHash(Files.readAllBytes(file))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (documents.isEmpty()) {
      throw FailureType.INVALID_SOURCE.failure("source folder has no files: " + source);
    }
    return new SourceListing(root.relativize(folder).toString(), documents, false);
  }

  @Override
  public IndexPlan prepareIndex(String alias, boolean fullRebuild, String runToken) {
    try {
      String current = indexer.currentIndex(alias);
      String index = fullRebuild || current == null ? alias + "-" + runToken : current;
      indexer.ensureIndex(index);
      return new IndexPlan(index, indexer.contentHashes(index));
    } catch (DocumentIndexer.EmbeddingMismatchException e) {
      throw FailureType.INVALID_REQUEST.failure(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public DocumentResult indexDocument(String source, String index, SourceDocument document) {
    try {
      byte[] content = open(source).read(document.documentId());
      if (content == null) {
        return new DocumentResult(document.documentId(), 0, "removed from the source during the ingestion");
      }
      String markdown = parser.parse(content, document.documentId());
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
