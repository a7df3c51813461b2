package dev.supportagent.activities.ingest;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.ingest.DocumentParser.UnreadableDocumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes a whole folder at once into a new index and moves the alias to it: what the command
 * line's {@code ingest DIR}, the evaluation suites and the tests use. The knowledge-base version is
 * a hash of the pipeline and of every document's path and content, so an unchanged folder is not
 * indexed again. The durable, incremental path is {@code KnowledgeIngestionWorkflow}.
 */
public final class KnowledgeBaseIndexer {

  public static final String DEFAULT_ALIAS = "kb-chunks";
  /** The embedding model's name in {@link #PIPELINE_VERSION}: the in-process all-MiniLM-L6-v2. */
  public static final String DEFAULT_EMBEDDING = "all-minilm-l6-v2";
  /**
   * Part of every content hash: change it when parsing, chunking, embedding or the mapping change,
   * so unchanged documents are indexed again with the new pipeline. This is the pipeline with the
   * default embedding model; another model ({@code SUPPORT_EMBEDDINGS}) has its own, {@link
   * #pipelineVersion(String)}.
   */
  public static final String PIPELINE_VERSION = pipelineVersion(DEFAULT_EMBEDDING);

  private static final Logger log = LoggerFactory.getLogger(KnowledgeBaseIndexer.class);

  private final DocumentIndexer indexer;
  private final DocumentParser parser = new DocumentParser();
  private final String alias;

  public KnowledgeBaseIndexer(DocumentIndexer indexer, String alias) {
    this.indexer = indexer;
    this.alias = alias;
  }

  public KnowledgeBaseIndexer(
      ElasticsearchClient es, EmbeddingModel embeddings, MarkdownChunker chunker, String alias) {
    this(new DocumentIndexer(es, embeddings, chunker), alias);
  }

  /** What an ingestion did. {@code skipped} when the folder was already indexed as it is. */
  public record Report(String kbVersion, String index, int documents, int chunks, boolean skipped) {}

  /**
   * Indexes every supported document below {@code folder}; unreadable ones are logged and left
   * out. Throws {@link IllegalArgumentException} when the folder is missing or has no documents.
   */
  public Report ingest(Path folder) throws IOException {
    List<Path> files = documents(folder);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no documents (" + String.join(", ", DocumentParser.TYPES) + ") under " + folder);
    }
    String kbVersion = kbVersion(indexer.pipelineVersion(), folder, files);
    String index = alias + "-" + kbVersion;
    if (index.equals(indexer.currentIndex(alias))) {
      log.info("knowledge base {} already indexed in {}", kbVersion, index);
      return new Report(kbVersion, index, files.size(), 0, true);
    }
    indexer.ensureIndex(index);
    int chunks = 0;
    int documents = 0;
    for (Path file : files) {
      String documentId = documentId(folder, file);
      try {
        String markdown = parser.parse(file, documentId);
        chunks += indexer.write(index, documentId, markdown, indexer.contentHash(Files.readAllBytes(file)), kbVersion);
        documents++;
      } catch (UnreadableDocumentException e) {
        log.warn("left out {}: {}", documentId, e.getMessage());
      }
    }
    indexer.publish(alias, index);
    log.info("indexed {} documents as {} chunks into {}", documents, chunks, index);
    return new Report(kbVersion, index, documents, chunks, false);
  }

  /** The index the alias points at now, or null when there is none. */
  public String currentIndex() throws IOException {
    return indexer.currentIndex(alias);
  }

  /** Supported files below {@code folder}, sorted, hidden files excluded. */
  public static List<Path> documents(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("knowledge-base folder not found: " + folder);
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> DocumentParser.TYPES.contains(DocumentParser.extension(p.getFileName().toString())))
          .sorted()
          .toList();
    }
  }

  public static String documentId(Path folder, Path file) {
    return folder.relativize(file).toString().replace('\\', '/');
  }

  /**
   * The pipeline version with documents embedded by {@code embedding} (a name as {@code
   * EmbeddingConfig.name()} gives it): a change of model changes every content hash and every
   * knowledge-base version, so the whole knowledge base is embedded again.
   */
  public static String pipelineVersion(String embedding) {
    return "parsers-1/markdown-lines-150w-30o/" + embedding + "/mapping-2/english-stems-lucene-9";
  }

  /** A document's content hash under the default pipeline ({@link #PIPELINE_VERSION}). */
  public static String contentHash(byte[] content) {
    return contentHash(PIPELINE_VERSION, content);
  }

  /** A document's content hash, which includes the pipeline version. */
  public static String contentHash(String pipelineVersion, byte[] content) {
    MessageDigest digest = sha256();
    digest.update(pipelineVersion.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest(content));
  }

  static String kbVersion(Path folder, List<Path> files) {
    return kbVersion(PIPELINE_VERSION, folder, files);
  }

  static String kbVersion(String pipelineVersion, Path folder, List<Path> files) {
    MessageDigest digest = sha256();
    digest.update(pipelineVersion.getBytes(StandardCharsets.UTF_8));
    for (Path file : files) {
      digest.update(documentId(folder, file).getBytes(StandardCharsets.UTF_8));
      try {
        digest.update(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
