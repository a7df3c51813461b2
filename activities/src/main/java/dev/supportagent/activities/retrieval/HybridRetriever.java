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
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * kNN and BM25 (words and English stems, {@link #bm25Query}) over the knowledge base, fused with
 * {@link ReciprocalRankFusion}. In a conversation ({@link Mode#HYBRID_CONTEXT}) three signals join
 * them, each only as far as it helps:
 *
 * <ul>
 *   <li>{@link Signal#CONTEXT}: kNN and BM25 on the question with the recent messages ({@link
 *       ConversationQuery}), so that "Yes" or "do they allow pets?" is searched with what it
 *       answers;
 *   <li>{@link Signal#TOPIC_CHANGE}: kNN and BM25 on the question alone, weighted by how clearly
 *       the question alone points at one document ({@link #selfContained}), the context's rankings
 *       giving up as much as half their weight to them: "and how do I get a refund?" after a talk
 *       about flickering lights is answered from the refunds article;
 *   <li>{@link Signal#NAMED_DOCUMENTS}: the documents that the newest earlier message naming any
 *       names by title ({@link TitleMentions}), a nudge of weight {@link #MENTION_WEIGHT}, none when
 *       the question names a document itself (its words already reach BM25) or stands alone.
 * </ul>
 *
 * Without history a question is searched as {@link Mode#PLAIN}: kNN and BM25 on its own words and
 * nothing else. The texts are embedded once (the question's vector is the turn's, served from
 * memory) and the searches go to Elasticsearch in one {@code _msearch} request, which runs them
 * side by side.
 */
public final class HybridRetriever {

  /** A ranking signal, switched off one at a time by the evaluation's {@code --ablate}. */
  public enum Signal {
    KNN,
    BM25,
    STEMS,
    CONTEXT,
    TOPIC_CHANGE,
    NAMED_DOCUMENTS;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Which signals a search uses. */
  public enum Mode {
    KNN(EnumSet.of(Signal.KNN)),
    BM25(EnumSet.of(Signal.BM25, Signal.STEMS)),
    /** kNN and BM25 on the question alone, fused by RRF: the baseline every report shows. */
    PLAIN(EnumSet.of(Signal.KNN, Signal.BM25, Signal.STEMS)),
    HYBRID_CONTEXT(EnumSet.allOf(Signal.class));

    private final Set<Signal> signals;

    Mode(Set<Signal> signals) {
      this.signals = Collections.unmodifiableSet(signals);
    }

    public Set<Signal> signals() {
      return signals;
    }

    /** {@code knn}, {@code bm25}, {@code plain} ({@code hybrid} is its older name) or {@code hybrid-context}. */
    public static Mode parse(String s) {
      String name = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.equals("HYBRID")) {
        return PLAIN;
      }
      try {
        return valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown retrieval mode '" + s + "' (knn, bm25, plain or hybrid-context)");
      }
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * @param bestVectorScore the best kNN score (Elasticsearch cosine, (1 + cos) / 2) of the query
   *     searched (the question with its context in a conversation), the signal for "nothing
   *     relevant"; 1.0 without kNN, which leaves no calibrated score
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
  /**
   * Weight of the ranking of the documents an earlier message named: a nudge, half of kNN's or
   * BM25's. It was 3 (the named documents led); that won on concierge dialogues about named
   * places and lost on help centres whose titles share words and on dialogues that had moved on
   * (docs/results.md, issue 14).
   */
  static final double MENTION_WEIGHT = 0.5;
  static final int MENTIONED_PASSAGES = 10;
  /**
   * A title names a thing of its own (a hotel, a product) rather than a topic when one of its
   * identifying words or its phrase appears in at most this share of the documents (and at least
   * {@link #NAME_MIN_DOCUMENTS}): "Hobsons House" is written in Hobsons House's page alone, while
   * "Retirement Estimator" or "Webhooks: retries" are words that many pages use. Only such titles
   * count as named: a topic's words in an earlier message are no evidence that the question is
   * still about that page (recall@1 on doc2dial's tune split rose from 0.81 to 0.83 without the
   * signal, while the concierge set lost 0.10; docs/results.md, issue 14).
   */
  static final double NAME_SHARE = 0.01;
  static final int NAME_MIN_DOCUMENTS = 2;
  static final long MENTIONS_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);
  /**
   * A question alone stands on its own when its best kNN document scores at least {@link
   * #SELF_CONTAINED_FROM} (fully at {@link #SELF_CONTAINED_AT}) and leads the fifth-best document
   * by {@link #SELF_CONTAINED_LEAD}: it then points at one document clearly, whatever came before.
   * Scores are Elasticsearch's (1 + cos) / 2 for all-MiniLM-L6-v2.
   */
  static final double SELF_CONTAINED_FROM = 0.72;
  static final double SELF_CONTAINED_AT = 0.78;
  static final double SELF_CONTAINED_LEAD = 0.07;
  /**
   * How much weight the context query's rankings give up to the question alone as it stands on
   * its own: half at most, so "and how do I get a refund?" after a talk about flickering lights
   * is answered from the refunds article while the context still counts.
   */
  static final double CONTEXT_YIELD = 0.5;

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
    return search(question, context, topK, mode.signals());
  }

  /** A search with the given signals; at least one of kNN and BM25. */
  public Result search(String question, List<String> context, int topK, Set<Signal> signals) throws IOException {
    boolean knn = signals.contains(Signal.KNN);
    boolean bm25 = signals.contains(Signal.BM25);
    if (!knn && !bm25) {
      throw new IllegalArgumentException("a search needs kNN or BM25");
    }
    boolean stems = signals.contains(Signal.STEMS);
    boolean hasContext = context.stream().anyMatch(m -> m != null && !m.isBlank());
    boolean withContext = hasContext && signals.contains(Signal.CONTEXT);
    // the question alone is searched without history, and with it when it may stand on its own
    boolean alone = !withContext || signals.contains(Signal.TOPIC_CHANGE);
    boolean naming = hasContext && signals.contains(Signal.NAMED_DOCUMENTS);
    String expanded = withContext ? ConversationQuery.expand(question, context, ConversationQuery.DEFAULT_TURNS) : null;
    // the question's vector is the kNN query of the question alone, and where there is no kNN on
    // it, the named documents' passages are ranked by the query that is searched
    List<Float> questionVector = knn && (alone || !withContext) ? embed(question) : null;
    List<Float> contextVector = knn && withContext ? embed(expanded) : null;
    // the documents an earlier message named, from the titles as last loaded; checked against the
    // version the hits carry below, and searched again in the rare case that it moved
    CachedMentions cached = naming ? mentions.get() : null;
    Set<String> guessed =
        cached == null ? Set.of() : names(cached.mentions().earlier(question, context), cached.mentions(), cached.kbVersion());
    List<Float> namingVector = contextVector != null ? contextVector : questionVector != null ? questionVector : null;
    // every search in one request: Elasticsearch runs them side by side
    List<Body> bodies = new ArrayList<>();
    int questionKnn = -1, questionBm25 = -1, contextKnn = -1, contextBm25 = -1, named = -1;
    if (alone && knn) {
      questionKnn = bodies.size();
      bodies.add(knn(questionVector, CANDIDATES, null));
    }
    if (alone && bm25) {
      questionBm25 = bodies.size();
      bodies.add(bm25(question, stems));
    }
    if (withContext && knn) {
      contextKnn = bodies.size();
      bodies.add(knn(contextVector, CANDIDATES, null));
    }
    if (withContext && bm25) {
      contextBm25 = bodies.size();
      bodies.add(bm25(expanded, stems));
    }
    if (!guessed.isEmpty() && namingVector != null) {
      named = bodies.size();
      bodies.add(knn(namingVector, MENTIONED_PASSAGES, guessed));
    }
    List<Ranked> results = searchAll(bodies);
    String kbVersion = null;
    for (Ranked r : results) {
      kbVersion = kbVersion == null ? r.kbVersion() : kbVersion;
    }
    // how far the question stands alone: all of it without context, none with the signal off
    double self = !withContext ? 1.0 : questionKnn >= 0 ? selfContained(results.get(questionKnn).passages()) : 0.0;
    double contextWeight = 1 - CONTEXT_YIELD * (withContext ? self : 0);
    List<ReciprocalRankFusion.Ranking<Passage>> rankings = new ArrayList<>();
    addRanking(rankings, results, questionKnn, self);
    addRanking(rankings, results, questionBm25, self);
    addRanking(rankings, results, contextKnn, contextWeight);
    addRanking(rankings, results, contextBm25, contextWeight);
    int scored = contextKnn >= 0 ? contextKnn : questionKnn;
    double bestVector =
        scored < 0 ? 1.0 : results.get(scored).passages().isEmpty() ? 0 : results.get(scored).passages().get(0).score();
    List<ReciprocalRankFusion.Fused<Passage>> ranked = fusion.fuse(rankings, Passage::passageId);
    double mentionWeight = MENTION_WEIGHT * (1 - (withContext ? self : 0));
    if (naming && kbVersion != null && mentionWeight > 0 && namingVector != null) {
      TitleMentions titles = mentions(kbVersion);
      Set<String> namedDocs = names(titles.earlier(question, context), titles, kbVersion);
      if (!namedDocs.isEmpty()) {
        // the named documents' passages in this query's order, then their nearest to it
        List<Passage> mentioned = new ArrayList<>();
        ranked.stream().map(ReciprocalRankFusion.Fused::item)
            .filter(p -> namedDocs.contains(p.documentId())).forEach(mentioned::add);
        mentioned.addAll(
            (named >= 0 && namedDocs.equals(guessed)
                    ? results.get(named)
                    : searchAll(List.of(knn(namingVector, MENTIONED_PASSAGES, namedDocs))).get(0))
                .passages());
        rankings.add(new ReciprocalRankFusion.Ranking<>(mentioned, mentionWeight));
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

  /** The search at {@code index} of the request, when it was made, as a ranking of that weight. */
  private static void addRanking(
      List<ReciprocalRankFusion.Ranking<Passage>> rankings, List<Ranked> results, int index, double weight) {
    if (index >= 0) {
      rankings.add(new ReciprocalRankFusion.Ranking<>(results.get(index).passages(), weight));
    }
  }

  /**
   * How clearly the question alone points at one document, from 0 to 1: its best document's kNN
   * score between {@link #SELF_CONTAINED_FROM} and {@link #SELF_CONTAINED_AT}, when that document
   * leads the fifth-best by {@link #SELF_CONTAINED_LEAD} (fewer documents count as 0).
   */
  static double selfContained(List<Passage> questionKnn) {
    List<Double> best = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Passage p : questionKnn) {
      if (seen.add(p.documentId())) {
        best.add(p.score());
      }
    }
    if (best.isEmpty()) {
      return 0;
    }
    double first = best.get(0);
    double fifth = best.size() >= 5 ? best.get(4) : 0;
    if (first - fifth < SELF_CONTAINED_LEAD) {
      return 0;
    }
    return Math.max(0, Math.min(1, (first - SELF_CONTAINED_FROM) / (SELF_CONTAINED_AT - SELF_CONTAINED_FROM)));
  }

  /**
   * Every ranking the signals could use for one question, unfused, for the evaluation's
   * development aid ({@code retrieval --dump}): kNN and BM25 on the question alone and on the
   * question with its context, the documents the question names and those an earlier message
   * names (titles of a thing of their own only), and the latter's passages nearest the context.
   */
  public record Trace(
      List<Passage> questionKnn,
      List<Passage> questionBm25,
      List<Passage> contextKnn,
      List<Passage> contextBm25,
      Set<String> namedByQuestion,
      Set<String> namedEarlier,
      List<Passage> namedKnn) {}

  public Trace trace(String question, List<String> context) throws IOException {
    String expanded = ConversationQuery.expand(question, context, ConversationQuery.DEFAULT_TURNS);
    List<Float> contextVector = embed(expanded);
    List<Ranked> r =
        searchAll(List.of(knn(embed(question), CANDIDATES, null), bm25(question, true),
            knn(contextVector, CANDIDATES, null), bm25(expanded, true)));
    String kbVersion = r.get(0).kbVersion() == null ? "" : r.get(0).kbVersion();
    TitleMentions titles = mentions(kbVersion);
    // "" names nothing, so earlier() reads the context alone
    Set<String> earlier = names(titles.earlier("", context), titles, kbVersion);
    List<Passage> named =
        earlier.isEmpty() ? List.of() : searchAll(List.of(knn(contextVector, MENTIONED_PASSAGES, earlier))).get(0).passages();
    return new Trace(r.get(0).passages(), r.get(1).passages(), r.get(2).passages(), r.get(3).passages(),
        titles.named(question), earlier, named);
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

  private static Body bm25(String query, boolean stems) {
    Query bm25 = bm25Query(query, stems);
    return b -> b.size(CANDIDATES).query(bm25);
  }

  /**
   * BM25 over the words as written and over their English stems ({@link EnglishStems}, computed
   * here as they were at indexing), each summed over title, section and text ({@code most_fields}):
   * "refunded" finds "refunds" through the stems, while an exact word still counts twice.
   */
  static Query bm25Query(String query) {
    return bm25Query(query, true);
  }

  static Query bm25Query(String query, boolean withStems) {
    String stems = withStems ? EnglishStems.of(query) : "";
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

  /** How many documents use a title's identifier, per knowledge-base version, read once each. */
  private final Map<String, Long> spreads = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The named documents whose titles name a thing of their own ({@link #NAME_SHARE}); the
   * identifiers' spread over the documents is read from Elasticsearch once per knowledge-base
   * version, in one request for the identifiers not seen before.
   */
  Set<String> names(Set<String> named, TitleMentions titles, String kbVersion) throws IOException {
    if (named.isEmpty()) {
      return named;
    }
    long limit = Math.max(NAME_MIN_DOCUMENTS, (long) Math.ceil(NAME_SHARE * titles.size()));
    List<String> unknown = new ArrayList<>();
    for (String doc : named) {
      for (String id : titles.identifiers(doc)) {
        if (!spreads.containsKey(kbVersion + '\u0000' + id) && !unknown.contains(id)) {
          unknown.add(id);
        }
      }
    }
    if (!unknown.isEmpty()) {
      if (spreads.size() > MAX_SPREADS) {
        spreads.clear();
      }
      MsearchResponse<ChunkDocument> response =
          es.msearch(
              m -> {
                for (String id : unknown) {
                  m.searches(
                      s -> s.header(h -> h.index(alias))
                          .body(b -> b.size(0)
                              .query(q -> q.multiMatch(mm -> mm.query(id).fields(WORD_FIELDS)
                                  .type(id.contains(" ") ? TextQueryType.Phrase : TextQueryType.BestFields)))
                              .aggregations("documents", a -> a.cardinality(c -> c.field("document_id")))));
                }
                return m;
              },
              ChunkDocument.class);
      for (int i = 0; i < unknown.size(); i++) {
        MultiSearchResponseItem<ChunkDocument> item = response.responses().get(i);
        if (item.isFailure()) {
          throw new ElasticsearchException("msearch", item.failure());
        }
        spreads.put(kbVersion + '\u0000' + unknown.get(i),
            item.result().aggregations().get("documents").cardinality().value());
      }
    }
    Set<String> names = new java.util.LinkedHashSet<>();
    for (String doc : named) {
      boolean own = titles.identifiers(doc).stream()
          .anyMatch(id -> spreads.getOrDefault(kbVersion + '\u0000' + id, Long.MAX_VALUE) <= limit);
      if (own) {
        names.add(doc);
      }
    }
    return names;
  }

  private static final int MAX_SPREADS = 100_000;

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
