package dev.supportagent.activities.ingest;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes documents into a knowledge-base index: chunk, embed, upsert the chunks under fixed ids
 * ({@code documentId#n}), then delete the document's chunks that the new version no longer has.
 * Running it twice for the same content leaves the same index: safe to retry.
 *
 * <p>This Elasticsearch distribution has no {@code delete_by_query}; stale chunks are found by a
 * term search on {@code document_id} and deleted by id.
 */
public final class DocumentIndexer {

  static final String MAPPING_RESOURCE = "/kb-chunks-mapping.json";
  /** Chunks embedded per call to the model (and written per bulk request). */
  public static final int EMBED_BATCH = 32;
  /** Chunks a single document may have; a larger one needs paging in {@link #chunkIds}. */
  static final int MAX_CHUNKS_PER_DOCUMENT = 10_000;
  /** Documents {@link #perDocument} reads at most; a larger knowledge base needs paging there. */
  public static final int MAX_DOCUMENTS = 10_000;
  private static final int ID_PAGE = 1_000;

  /** The {@code _meta} keys of an index's mapping that name the model its vectors come from. */
  static final String META_EMBEDDING_MODEL = "embedding_model";
  static final String META_EMBEDDING_DIMS = "embedding_dims";

  private final ElasticsearchClient es;
  private final EmbeddingModel embeddings;
  private final String embeddingName;
  private final String pipelineVersion;
  private final MarkdownChunker chunker;

  /** An indexer embedding with the default, in-process model. */
  public DocumentIndexer(ElasticsearchClient es, EmbeddingModel embeddings, MarkdownChunker chunker) {
    this(es, embeddings, KnowledgeBaseIndexer.DEFAULT_EMBEDDING, chunker);
  }

  /**
   * @param embeddingName the model's name ({@code EmbeddingConfig.name()}): it goes into the
   *     pipeline version, so into every content hash, and into the index's {@code _meta}
   */
  public DocumentIndexer(ElasticsearchClient es, EmbeddingModel embeddings, String embeddingName, MarkdownChunker chunker) {
    this.es = es;
    this.embeddings = embeddings;
    this.embeddingName = embeddingName;
    this.pipelineVersion = KnowledgeBaseIndexer.pipelineVersion(embeddingName);
    this.chunker = chunker;
  }

  /** The pipeline version, with this indexer's embedding model. */
  public String pipelineVersion() {
    return pipelineVersion;
  }

  /** A document's content hash under this indexer's pipeline version. */
  public String contentHash(byte[] content) {
    return KnowledgeBaseIndexer.contentHash(pipelineVersion, content);
  }

  /** The name of the model this indexer embeds with. */
  public String embeddingName() {
    return embeddingName;
  }

  /**
   * Creates {@code index} with the knowledge-base mapping, its vectors as wide as the embedding
   * model's; when it exists, adds the fields of the mapping it lacks, so an index made by an older
   * pipeline (before the {@code *_stems} fields) accepts the documents an incremental ingestion
   * rewrites into it. Idempotent. (The model's dimension may cost a request to a remote model.)
   *
   * @throws EmbeddingMismatchException when the index exists with vectors of another model: its
   *     documents cannot be updated in place, the knowledge base needs a full rebuild
   */
  public void ensureIndex(String index) throws IOException {
    int dims = embeddings.dimension();
    if (!es.indices().exists(e -> e.index(index)).value()) {
      String body = mapping(dims, embeddingName).toString();
      es.indices().create(c -> c.index(index).withJson(new StringReader(body)));
      return;
    }
    IndexEmbedding existing = embeddingOf(es, index);
    IndexEmbedding ours = new IndexEmbedding(embeddingName, dims);
    if (existing != null && !existing.equals(ours)) {
      throw new EmbeddingMismatchException(index, existing, ours);
    }
    String mappings = mapping(dims, embeddingName).get("mappings").toString();
    es.indices().putMapping(p -> p.index(index).withJson(new StringReader(mappings)));
  }

  /**
   * The knowledge-base index body ({@code settings} and {@code mappings}): the mapping resource with
   * the vector's dimension set to {@code dims} and the model recorded in {@code _meta}.
   */
  static ObjectNode mapping(int dims, String embeddingName) throws IOException {
    ObjectNode body;
    try (InputStream mapping = DocumentIndexer.class.getResourceAsStream(MAPPING_RESOURCE)) {
      body = (ObjectNode) new ObjectMapper().readTree(mapping);
    }
    ObjectNode mappings = (ObjectNode) body.get("mappings");
    ((ObjectNode) mappings.get("properties").get("embedding")).put("dims", dims);
    mappings.putObject("_meta").put(META_EMBEDDING_MODEL, embeddingName).put(META_EMBEDDING_DIMS, dims);
    return body;
  }

  /**
   * The model behind an index's vectors and their dimension.
   *
   * @param model the model's name; an index made before the model was recorded is taken for the
   *     default model's ({@link KnowledgeBaseIndexer#DEFAULT_EMBEDDING}), the only one there was
   */
  public record IndexEmbedding(String model, int dims) {
    @Override
    public String toString() {
      return model + " (" + dims + " dimensions)";
    }
  }

  /** An index whose vectors come from another embedding model than the indexer's. */
  public static final class EmbeddingMismatchException extends IllegalStateException {
    public EmbeddingMismatchException(String index, IndexEmbedding existing, IndexEmbedding wanted) {
      super("index " + index + " holds vectors of " + existing + ", but the worker embeds with "
          + wanted + " (SUPPORT_EMBEDDINGS): run a full rebuild of the knowledge base"
          + " (fullRebuild=true, or ingest --full-rebuild)");
    }
  }

  /**
   * The embedding model of {@code indexOrAlias} (the first index an alias points at), or null when
   * there is no such index or it has no vector field.
   */
  public static IndexEmbedding embeddingOf(ElasticsearchClient es, String indexOrAlias) throws IOException {
    if (!es.indices().exists(e -> e.index(indexOrAlias)).value()) {
      return null;
    }
    var response = es.indices().getMapping(g -> g.index(indexOrAlias));
    var mapping = response.mappings().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue().mappings())
        .findFirst()
        .orElse(null);
    if (mapping == null) {
      return null;
    }
    Property vector = mapping.properties().get("embedding");
    if (vector == null || !vector.isDenseVector() || vector.denseVector().dims() == null) {
      return null;
    }
    JsonData model = mapping.meta().get(META_EMBEDDING_MODEL);
    return new IndexEmbedding(
        model == null ? KnowledgeBaseIndexer.DEFAULT_EMBEDDING : model.to(String.class),
        vector.denseVector().dims());
  }

  /** Writes one document's chunks and removes its stale ones; returns how many chunks it has. */
  public int write(String index, String documentId, String markdown, String contentHash, String kbVersion)
      throws IOException {
    List<Chunk> chunks = chunker.chunk(documentId, markdown);
    String now = Instant.now().toString();
    for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
      List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
      var vectors = embeddings.embedAll(batch.stream().map(c -> TextSegment.from(c.embeddingText())).toList()).content();
      BulkRequest.Builder bulk = new BulkRequest.Builder();
      for (int i = 0; i < batch.size(); i++) {
        Chunk c = batch.get(i);
        String id = chunkId(documentId, c.index());
        ChunkDocument doc =
            ChunkDocument.withStems(id, documentId, c.title(), c.section(), null, c.text(), c.index(),
                contentHash, kbVersion, now, vectors.get(i).vector());
        bulk.operations(op -> op.index(ix -> ix.index(index).id(id).document(doc)));
      }
      check(es.bulk(bulk.build()));
    }
    Set<String> current = new HashSet<>();
    for (Chunk c : chunks) {
      current.add(chunkId(documentId, c.index()));
    }
    // No refresh here: one per document made a segment per document, and merging those cost
    // Elasticsearch more than the rest of the write (docs/results.md, "Ingestion throughput"). A
    // search sees the chunks written up to the last periodic refresh; chunks written since (an
    // earlier version of this document a moment ago) are found by id, as a real-time get does.
    Set<String> stale = chunkIds(index, documentId, false);
    stale.addAll(chunksFrom(index, documentId, chunks.size()));
    stale.removeAll(current);
    delete(index, stale);
    return chunks.size();
  }

  /**
   * The document's chunks {@code from}, {@code from + 1}, ... that exist, by real-time get, up to
   * the first missing one: a version's chunks are numbered from 0 without gaps, so those beyond
   * the new version's last are the rest of an earlier, longer one.
   */
  private Set<String> chunksFrom(String index, String documentId, int from) throws IOException {
    Set<String> found = new HashSet<>();
    for (int start = from; ; start += EMBED_BATCH) {
      List<String> ids = new ArrayList<>();
      for (int n = start; n < start + EMBED_BATCH; n++) {
        ids.add(chunkId(documentId, n));
      }
      MgetResponse<Void> response = es.mget(m -> m.index(index).ids(ids).source(src -> src.fetch(false)), Void.class);
      int before = found.size();
      for (MultiGetResponseItem<Void> item : response.docs()) {
        if (item.isResult() && item.result().found()) {
          found.add(item.result().id());
        }
      }
      if (found.size() - before < ids.size()) {
        return found;
      }
    }
  }

  /** Deletes every chunk of the document; returns whether it had any. */
  public boolean deleteDocument(String index, String documentId) throws IOException {
    Set<String> ids = chunkIds(index, documentId, true);
    delete(index, ids);
    return !ids.isEmpty();
  }

  /** The content hash of every document in the index, by document id. */
  public Map<String, String> contentHashes(String index) throws IOException {
    return perDocument(es, index, "content_hash", ChunkDocument::contentHash);
  }

  /** The content hash of each of {@code documentIds} the index holds, by document id. */
  public Map<String, String> contentHashes(String index, List<String> documentIds) throws IOException {
    if (documentIds.isEmpty()) {
      return Map.of();
    }
    es.indices().refresh(r -> r.index(index));
    List<FieldValue> ids = documentIds.stream().map(FieldValue::of).toList();
    SearchResponse<ChunkDocument> response =
        es.search(
            s -> s.index(index)
                .size(documentIds.size())
                .source(src -> src.filter(f -> f.includes("document_id", "content_hash")))
                .query(q -> q.terms(t -> t.field("document_id").terms(v -> v.value(ids))))
                .collapse(c -> c.field("document_id")),
            ChunkDocument.class);
    Map<String, String> hashes = new HashMap<>();
    for (Hit<ChunkDocument> hit : response.hits().hits()) {
      if (hit.source() != null && hit.source().contentHash() != null) {
        hashes.put(hit.source().documentId(), hit.source().contentHash());
      }
    }
    return hashes;
  }

  /** Every document id in the index, in order, read a page at a time (no size limit). */
  public List<String> documentIds(String index) throws IOException {
    es.indices().refresh(r -> r.index(index));
    List<String> ids = new ArrayList<>();
    String after = null;
    while (true) {
      String from = after;
      SearchResponse<ChunkDocument> response =
          es.search(
              s -> {
                s.index(index)
                    .size(ID_PAGE)
                    .source(src -> src.filter(f -> f.includes("document_id")))
                    .sort(o -> o.field(f -> f.field("document_id")))
                    .collapse(c -> c.field("document_id"));
                return from == null ? s : s.searchAfter(FieldValue.of(from));
              },
              ChunkDocument.class);
      List<Hit<ChunkDocument>> hits = response.hits().hits();
      hits.forEach(h -> ids.add(h.source().documentId()));
      if (hits.size() < ID_PAGE) {
        return ids;
      }
      after = ids.get(ids.size() - 1);
    }
  }

  /**
   * One field of each document in the index (read from one of its chunks), by document id; for
   * at most {@link #MAX_DOCUMENTS} documents. Documents without the field are left out.
   */
  public static Map<String, String> perDocument(
      ElasticsearchClient es, String index, String field, Function<ChunkDocument, String> value)
      throws IOException {
    SearchResponse<ChunkDocument> response =
        es.search(
            s -> s.index(index)
                .size(MAX_DOCUMENTS)
                .source(src -> src.filter(f -> f.includes("document_id", field)))
                .collapse(c -> c.field("document_id")),
            ChunkDocument.class);
    Map<String, String> values = new HashMap<>();
    for (Hit<ChunkDocument> hit : response.hits().hits()) {
      if (hit.source() != null && value.apply(hit.source()) != null) {
        values.put(hit.source().documentId(), value.apply(hit.source()));
      }
    }
    return values;
  }

  private Set<String> chunkIds(String index, String documentId, boolean refresh) throws IOException {
    if (refresh) {
      es.indices().refresh(r -> r.index(index));
    }
    SearchResponse<Void> response =
        es.search(
            s -> s.index(index)
                .size(MAX_CHUNKS_PER_DOCUMENT)
                .source(src -> src.fetch(false))
                .query(q -> q.term(t -> t.field("document_id").value(documentId))),
            Void.class);
    Set<String> ids = new HashSet<>();
    response.hits().hits().forEach(h -> ids.add(h.id()));
    return ids;
  }

  private void delete(String index, Set<String> ids) throws IOException {
    if (ids.isEmpty()) {
      return;
    }
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (String id : ids) {
      bulk.operations(op -> op.delete(d -> d.index(index).id(id)));
    }
    check(es.bulk(bulk.build()));
  }

  /** The index {@code alias} points at, or null when there is none. */
  public String currentIndex(String alias) throws IOException {
    if (!es.indices().existsAlias(a -> a.name(alias)).value()) {
      return null;
    }
    return es.indices().getAlias(a -> a.name(alias)).aliases().keySet().stream().sorted().findFirst().orElse(null);
  }

  /**
   * Refreshes {@code index} and moves {@code alias} to it in one atomic step, so queries never see
   * a half-built index; then drops the indexes the alias left. Idempotent.
   */
  public void publish(String alias, String index) throws IOException {
    es.indices().refresh(r -> r.index(index));
    List<String> old = new ArrayList<>();
    if (es.indices().existsAlias(a -> a.name(alias)).value()) {
      old.addAll(es.indices().getAlias(a -> a.name(alias)).aliases().keySet());
    }
    if (old.equals(List.of(index))) {
      return;
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

  /** The id of a document's {@code n}th chunk. */
  public static String chunkId(String documentId, int n) {
    return documentId + "#" + n;
  }

  private static void check(BulkResponse response) throws IOException {
    if (response.errors()) {
      String first = response.items().stream()
          .filter(i -> i.error() != null)
          .map(i -> i.id() + ": " + i.error().reason())
          .findFirst()
          .orElse("unknown");
      throw new IOException("bulk request failed: " + first);
    }
  }
}
