package dev.supportagent.activities.retrieval;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.SearchRequestBody;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.ingest.ChunkDocument;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.EnglishStems;
import dev.supportagent.workflows.retrieval.Passage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * kNN and BM25 (words and English stems, {@link #bm25Query}) over the knowledge base, fused with
 * {@link ReciprocalRankFusion}; with conversation context, the query carries the recent messages
 * ({@link ConversationQuery}) and a third ranking puts first the documents whose titles the
 * conversation named last ({@link TitleMentions}). The query is embedded once and the searches go
 * to Elasticsearch in one {@code _msearch} request, which runs them side by side.
 */
public final class HybridRetriever {

  /** Which signals a search uses. */
  public enum Mode {
    KNN,
    BM25,
    HYBRID,
    HYBRID_CONTEXT;

    public static Mode parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown retrieval mode '" + s + "' (knn, bm25, hybrid or hybrid-context)");
      }
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * @param bestVectorScore the best kNN score (Elasticsearch cosine, (1 + cos) / 2), the signal
   *     for "nothing relevant"; 1.0 in BM25 mode, which has no calibrated score
   */
  public record Result(List<Passage> passages, double bestVectorScore, String kbVersion) {}

  static final int CANDIDATES = 50;
  /**
   * The quantized (int8) HNSW search gathers this many times k candidates and rescores them with
   * the full-precision vectors: recall@10 against exact search at 100,000 chunks rose from 0.87
   * to 0.98 for the same latency (docs/results.md).
   */
  public static final double RESCORE_OVERSAMPLE = 3.0;
  /** How many passages an evaluation ranks: enough to hold ten distinct documents. */
  public static final int CANDIDATES_FOR_EVALUATION = CANDIDATES;
  private static final String[] SOURCE_FIELDS = {
    "passage_id", "document_id", "title", "section", "url", "text", "kb_version"
  };
  /**
   * The fields BM25 searches, unboosted: with {@code most_fields} a title match already counts
   * on every chunk of its document, and a boost of 2 ranked worse on the help centre (docs/results.md).
   */
  static final List<String> WORD_FIELDS = List.of("title", "section", "text");
  static final List<String> STEM_FIELDS = List.of("title_stems", "section_stems", "text_stems");
  /** Weight of the named documents' ranking: more than kNN and BM25 together (2), so it leads. */
  static final double MENTION_WEIGHT = 3.0;
  static final int MENTIONED_PASSAGES = 10;
  static final long MENTIONS_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ElasticsearchClient es;
  private final EmbeddingModel embeddings;
  private final String alias;
  private final AtomicReference<CachedMentions> mentions = new AtomicReference<>();
  private final ReciprocalRankFusion fusion = new ReciprocalRankFusion(ReciprocalRankFusion.DEFAULT_K);

  public HybridRetriever(ElasticsearchClient es, EmbeddingModel embeddings, String alias) {
    this.es = es;
    this.embeddings = embeddings;
    this.alias = alias;
  }

  public Result search(String question, List<String> context, int topK, Mode mode) throws IOException {
    String query =
        mode == Mode.HYBRID_CONTEXT
            ? ConversationQuery.expand(question, context, ConversationQuery.DEFAULT_TURNS)
            : question;
    List<Float> vector = mode == Mode.BM25 ? null : embed(query);
    // the documents the conversation named, from the titles as last loaded; checked against the
    // version the hits carry below, and searched again in the rare case that it moved
    CachedMentions cached = mode == Mode.HYBRID_CONTEXT ? mentions.get() : null;
    Set<String> guessed = cached == null ? Set.of() : cached.mentions().latest(question, context);
    // kNN, BM25 and the named documents' passages in one request: Elasticsearch runs them side by side
    List<Body> bodies = new ArrayList<>();
    if (mode != Mode.BM25) {
      bodies.add(knn(vector, CANDIDATES, null));
    }
    if (mode != Mode.KNN) {
      bodies.add(bm25(query));
    }
    if (!guessed.isEmpty() && mode == Mode.HYBRID_CONTEXT) {
      bodies.add(knn(vector, MENTIONED_PASSAGES, guessed));
    }
    List<Ranked> results = searchAll(bodies);
    List<ReciprocalRankFusion.Ranking<Passage>> rankings = new ArrayList<>();
    double bestVector = 1.0;
    String kbVersion = null;
    int next = 0;
    if (mode != Mode.BM25) {
      Ranked knn = results.get(next++);
      rankings.add(new ReciprocalRankFusion.Ranking<>(knn.passages(), 1.0));
      bestVector = knn.passages().isEmpty() ? 0 : knn.passages().get(0).score();
      kbVersion = knn.kbVersion();
    }
    if (mode != Mode.KNN) {
      Ranked bm25 = results.get(next++);
      rankings.add(new ReciprocalRankFusion.Ranking<>(bm25.passages(), 1.0));
      kbVersion = kbVersion == null ? bm25.kbVersion() : kbVersion;
    }
    List<ReciprocalRankFusion.Fused<Passage>> ranked = fusion.fuse(rankings, Passage::passageId);
    if (mode == Mode.HYBRID_CONTEXT && kbVersion != null) {
      Set<String> named = mentions(kbVersion).latest(question, context);
      if (!named.isEmpty()) {
        // the documents the conversation named last lead; their best passages for this query
        List<Passage> mentioned = new ArrayList<>();
        ranked.stream().map(ReciprocalRankFusion.Fused::item)
            .filter(p -> named.contains(p.documentId())).forEach(mentioned::add);
        mentioned.addAll(
            (named.equals(guessed) ? results.get(next) : searchAll(List.of(knn(vector, MENTIONED_PASSAGES, named))).get(0))
                .passages());
        rankings.add(new ReciprocalRankFusion.Ranking<>(mentioned, MENTION_WEIGHT));
        ranked = fusion.fuse(rankings, Passage::passageId);
      }
    }
    List<Passage> fused = new ArrayList<>();
    for (var f : ranked) {
      if (fused.size() == topK) {
        break;
      }
      Passage p = f.item();
      fused.add(new Passage(p.passageId(), p.documentId(), p.title(), p.section(), p.url(), p.text(), f.score()));
    }
    return new Result(fused, bestVector, kbVersion);
  }

  /** One search of a multi-search request: its size and query. */
  private interface Body extends Function<SearchRequestBody.Builder, SearchRequestBody.Builder> {}

  private record Ranked(List<Passage> passages, String kbVersion) {}

  /** The query's embedding, computed once per search. */
  private List<Float> embed(String query) {
    float[] vector = embeddings.embed(query).content().vector();
    List<Float> queryVector = new ArrayList<>(vector.length);
    for (float v : vector) {
      queryVector.add(v);
    }
    return queryVector;
  }

  /** The {@code size} nearest passages, of the given documents only when {@code only} is set. */
  private static Body knn(List<Float> queryVector, int size, Set<String> only) {
    List<FieldValue> ids = only == null ? List.of() : only.stream().map(FieldValue::of).toList();
    return b ->
        b.size(size)
            .knn(
                knn -> {
                  knn.field("embedding")
                      .queryVector(queryVector)
                      .k(size)
                      .numCandidates(CANDIDATES * 2)
                      .rescoreVector(r -> r.oversample((float) RESCORE_OVERSAMPLE));
                  return only == null
                      ? knn
                      : knn.filter(f -> f.terms(t -> t.field("document_id").terms(v -> v.value(ids))));
                });
  }

  private static Body bm25(String query) {
    Query bm25 = bm25Query(query);
    return b -> b.size(CANDIDATES).query(bm25);
  }

  /**
   * BM25 over the words as written and over their English stems ({@link EnglishStems}, computed
   * here as they were at indexing), each summed over title, section and text ({@code most_fields}):
   * "refunded" finds "refunds" through the stems, while an exact word still counts twice.
   */
  static Query bm25Query(String query) {
    String stems = EnglishStems.of(query);
    return Query.of(
        q -> q.bool(
            b -> {
              b.should(w -> w.multiMatch(m -> m.query(query).type(TextQueryType.MostFields).fields(WORD_FIELDS)));
              if (!stems.isEmpty()) {
                // a question of stop words only ("is it on?") has no stems
                b.should(st -> st.multiMatch(m -> m.query(stems).type(TextQueryType.MostFields).fields(STEM_FIELDS)));
              }
              return b;
            }));
  }

  private record CachedMentions(TitleMentions mentions, String kbVersion, long loadedNanos) {}

  /**
   * The titles of the knowledge base, reloaded when the version seen in the hits changes or the
   * copy is older than {@link #MENTIONS_MAX_AGE_NANOS} (an in-place update keeps the version).
   */
  private TitleMentions mentions(String kbVersion) throws IOException {
    CachedMentions cached = mentions.get();
    if (cached != null
        && cached.kbVersion().equals(kbVersion)
        && System.nanoTime() - cached.loadedNanos() < MENTIONS_MAX_AGE_NANOS) {
      return cached.mentions();
    }
    Map<String, String> titles = DocumentIndexer.perDocument(es, alias, "title", ChunkDocument::title);
    TitleMentions built = new TitleMentions(titles);
    mentions.set(new CachedMentions(built, kbVersion, System.nanoTime()));
    return built;
  }

  /**
   * Runs the searches against the alias in one multi-search request, each ranked in order; a
   * search that fails fails the whole, as one search alone would (404 for a missing knowledge base).
   */
  private List<Ranked> searchAll(List<Body> bodies) throws IOException {
    MsearchResponse<ChunkDocument> response =
        es.msearch(
            m -> {
              for (Body body : bodies) {
                m.searches(
                    s -> s.header(h -> h.index(alias))
                        .body(b -> body.apply(b.source(src -> src.filter(f -> f.includes(List.of(SOURCE_FIELDS)))))));
              }
              return m;
            },
            ChunkDocument.class);
    List<Ranked> out = new ArrayList<>();
    for (MultiSearchResponseItem<ChunkDocument> item : response.responses()) {
      if (item.isFailure()) {
        throw new ElasticsearchException("msearch", item.failure());
      }
      List<Passage> passages = new ArrayList<>();
      String kbVersion = null;
      for (Hit<ChunkDocument> hit : item.result().hits().hits()) {
        ChunkDocument d = hit.source();
        if (d == null) {
          continue;
        }
        kbVersion = kbVersion == null ? d.kbVersion() : kbVersion;
        double score = hit.score() == null ? 0 : hit.score();
        passages.add(new Passage(d.passageId(), d.documentId(), d.title(), d.section(), d.url(), d.text(), score));
      }
      out.add(new Ranked(passages, kbVersion));
    }
    return out;
  }
}
