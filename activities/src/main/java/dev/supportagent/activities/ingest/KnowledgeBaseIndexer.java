package dev.supportagent.activities.ingest;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.indices.GetAliasResponse;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First version of ingestion: chunks, embeds and indexes a folder of Markdown into a new index,
 * then moves the alias to it in one atomic step, so queries never see a half-built index. The
 * knowledge-base version is a hash of every document's path and content: an unchanged folder is
 * not indexed again.
 */
public final class KnowledgeBaseIndexer {

  public static final String DEFAULT_ALIAS = "kb-chunks";
  static final String MAPPING_RESOURCE = "/kb-chunks-mapping.json";
  /**
   * Part of the knowledge-base version: change it when chunking, embedding or the mapping change,
   * so that an unchanged folder is indexed again with the new pipeline.
   */
  static final String PIPELINE_VERSION = "markdown-lines-150w-30o/all-minilm-l6-v2/mapping-1";
  private static final int EMBED_BATCH = 32;
  private static final Logger log = LoggerFactory.getLogger(KnowledgeBaseIndexer.class);

  private final ElasticsearchClient es;
  private final EmbeddingModel embeddings;
  private final MarkdownChunker chunker;
  private final String alias;

  public KnowledgeBaseIndexer(
      ElasticsearchClient es, EmbeddingModel embeddings, MarkdownChunker chunker, String alias) {
    this.es = es;
    this.embeddings = embeddings;
    this.chunker = chunker;
    this.alias = alias;
  }

  /** What an ingestion did. {@code skipped} when the folder was already indexed as it is. */
  public record Report(String kbVersion, String index, int documents, int chunks, boolean skipped) {}

  /**
   * Indexes every {@code .md} file below {@code folder}. Throws {@link IllegalArgumentException}
   * when the folder is missing or holds no Markdown.
   */
  public Report ingest(Path folder) throws IOException {
    List<Path> files = markdownFiles(folder);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no Markdown documents (*.md) under " + folder);
    }
    String kbVersion = kbVersion(folder, files);
    String current = currentIndex();
    if (current != null && current.equals(indexName(kbVersion))) {
      log.info("knowledge base {} already indexed in {}", kbVersion, current);
      return new Report(kbVersion, current, files.size(), 0, true);
    }
    String index = indexName(kbVersion);
    if (es.indices().exists(e -> e.index(index)).value()) {
      es.indices().delete(d -> d.index(index));
    }
    try (InputStream mapping = KnowledgeBaseIndexer.class.getResourceAsStream(MAPPING_RESOURCE)) {
      es.indices().create(c -> c.index(index).withJson(mapping));
    }
    int chunkCount = 0;
    String now = Instant.now().toString();
    for (Path file : files) {
      String documentId = folder.relativize(file).toString().replace('\\', '/');
      String content = Files.readString(file, StandardCharsets.UTF_8);
      List<Chunk> chunks = chunker.chunk(documentId, content);
      chunkCount += indexChunks(index, chunks, sha256(content), kbVersion, now);
    }
    es.indices().refresh(r -> r.index(index));
    moveAlias(index);
    log.info("indexed {} documents as {} chunks into {}", files.size(), chunkCount, index);
    return new Report(kbVersion, index, files.size(), chunkCount, false);
  }

  private int indexChunks(
      String index, List<Chunk> chunks, String contentHash, String kbVersion, String now)
      throws IOException {
    for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
      List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
      List<TextSegment> segments = batch.stream().map(c -> TextSegment.from(c.embeddingText())).toList();
      var vectors = embeddings.embedAll(segments).content();
      BulkRequest.Builder bulk = new BulkRequest.Builder();
      for (int i = 0; i < batch.size(); i++) {
        Chunk c = batch.get(i);
        String passageId = c.documentId() + "#" + c.index();
        ChunkDocument doc =
            new ChunkDocument(
                passageId, c.documentId(), c.title(), c.section(), null, c.text(), c.index(),
                contentHash, kbVersion, now, vectors.get(i).vector());
        bulk.operations(op -> op.index(ix -> ix.index(index).id(passageId).document(doc)));
      }
      BulkResponse response = es.bulk(bulk.build());
      if (response.errors()) {
        throw new IOException("bulk indexing failed: " + firstError(response));
      }
    }
    return chunks.size();
  }

  /** The index the alias points at now, or null when there is none. */
  public String currentIndex() throws IOException {
    if (!es.indices().existsAlias(a -> a.name(alias)).value()) {
      return null;
    }
    GetAliasResponse aliases = es.indices().getAlias(a -> a.name(alias));
    return aliases.aliases().keySet().stream().sorted().findFirst().orElse(null);
  }

  private void moveAlias(String index) throws IOException {
    List<String> old = new ArrayList<>();
    if (es.indices().existsAlias(a -> a.name(alias)).value()) {
      old.addAll(es.indices().getAlias(a -> a.name(alias)).aliases().keySet());
    }
    es.indices()
        .updateAliases(
            u -> {
              for (String o : old) {
                u.actions(a -> a.remove(r -> r.index(o).alias(alias)));
              }
              return u.actions(a -> a.add(ad -> ad.index(index).alias(alias)));
            });
    for (String o : old) {
      if (!o.equals(index)) {
        es.indices().delete(d -> d.index(o));
      }
    }
  }

  private String indexName(String kbVersion) {
    return alias + "-" + kbVersion;
  }

  private static String firstError(BulkResponse response) {
    return response.items().stream()
        .filter(i -> i.error() != null)
        .map(i -> i.id() + ": " + i.error().reason())
        .findFirst()
        .orElse("unknown");
  }

  static List<Path> markdownFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("knowledge-base folder not found: " + folder);
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".md"))
          .sorted()
          .toList();
    }
  }

  static String kbVersion(Path folder, List<Path> files) {
    MessageDigest digest = sha256Digest();
    digest.update(PIPELINE_VERSION.getBytes(StandardCharsets.UTF_8));
    for (Path file : files) {
      digest.update(folder.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
      try {
        digest.update(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  static String sha256(String s) {
    return HexFormat.of().formatHex(sha256Digest().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
