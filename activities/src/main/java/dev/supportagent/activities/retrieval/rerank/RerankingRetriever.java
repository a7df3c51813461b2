package dev.supportagent.activities.retrieval.rerank;

import dev.supportagent.activities.retrieval.ConversationQuery;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.workflows.retrieval.Passage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-ranks the top of a search's fused passages with a {@link Reranker}: the search is asked for at
 * least {@code topN} passages, the first {@code topN} are put in the re-ranker's order (with its
 * scores), the rest follow in fused order, and the first {@code topK} are returned. It wraps the
 * search ({@link #search}) or, for code that fuses on its own, re-orders a fused list ({@link
 * #rerank}); either way the search itself is not touched.
 *
 * <p>A re-ranker that fails, times out or answers nonsense leaves the fused order as it was: the
 * turn goes on, the failure is logged and counted ({@code support.reranker.calls}, {@code
 * result=fallback}). Whether anything relevant was found is still decided on the best kNN score,
 * which the re-ranker does not change. Without a re-ranker both methods pass the search through.
 */
public final class RerankingRetriever {

  /** A search as {@link HybridRetriever#search} makes it. */
  @FunctionalInterface
  public interface Search {
    HybridRetriever.Result search(String question, List<String> context, int topK, HybridRetriever.Mode mode)
        throws IOException;
  }

  public static final String CALLS = "support.reranker.calls";
  public static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
  static final Attributes RERANKED = Attributes.of(RESULT, "reranked");
  static final Attributes FALLBACK = Attributes.of(RESULT, "fallback");

  private static final Logger log = LoggerFactory.getLogger(RerankingRetriever.class);

  private final Search search;
  private final Reranker reranker;
  private final int topN;
  private final LongCounter calls;

  /**
   * @param reranker the re-ranker, or null for none
   * @param topN how many fused passages are re-ranked
   */
  public RerankingRetriever(Search search, Reranker reranker, int topN, Meter meter) {
    if (topN < 1) {
      throw new IllegalArgumentException("topN must be at least 1, got " + topN);
    }
    this.search = search;
    this.reranker = reranker;
    this.topN = topN;
    this.calls = meter.counterBuilder(CALLS).setDescription("Re-ranker calls, by result").build();
  }

  /** The search without re-ranking. */
  public static RerankingRetriever off(Search search, Meter meter) {
    return new RerankingRetriever(search, null, RerankerConfig.DEFAULT_TOP_N, meter);
  }

  /**
   * Searches for {@code max(topK, topN)} passages and returns the first {@code topK} after
   * re-ranking; the best kNN score and the knowledge-base version are the search's.
   */
  public HybridRetriever.Result search(String question, List<String> context, int topK, HybridRetriever.Mode mode)
      throws IOException {
    if (reranker == null) {
      return search.search(question, context, topK, mode);
    }
    HybridRetriever.Result fused = search.search(question, context, Math.max(topK, topN), mode);
    List<Passage> passages = rerank(query(question, context, mode), fused.passages(), topK);
    return new HybridRetriever.Result(passages, fused.bestVectorScore(), fused.kbVersion());
  }

  /**
   * The first {@code topK} of {@code fused} after re-ranking its first {@code topN} against {@code
   * query}; on a re-ranker failure, the first {@code topK} in fused order. Never throws for the
   * re-ranker's sake.
   */
  public List<Passage> rerank(String query, List<Passage> fused, int topK) {
    int k = Math.min(topK, fused.size());
    if (reranker == null || fused.isEmpty()) {
      return List.copyOf(fused.subList(0, k));
    }
    List<Passage> head = fused.subList(0, Math.min(topN, fused.size()));
    List<Reranker.Scored> order;
    try {
      order = reranker.rerank(query, head);
    } catch (Reranker.RerankerException e) {
      calls.add(1, FALLBACK);
      log.warn("re-ranker {} failed, keeping the fused order: {}", reranker.name(), e.getMessage());
      return List.copyOf(fused.subList(0, k));
    }
    calls.add(1, RERANKED);
    List<Passage> ranked = new ArrayList<>(fused.size());
    for (Reranker.Scored s : order) {
      Passage p = head.get(s.index());
      ranked.add(new Passage(p.passageId(), p.documentId(), p.title(), p.section(), p.url(), p.text(), s.score()));
    }
    ranked.addAll(fused.subList(head.size(), fused.size()));
    return List.copyOf(ranked.subList(0, k));
  }

  /**
   * What the re-ranker reads as the query: the one kNN and BM25 searched with, so in {@code
   * hybrid-context} mode the question followed by the recent messages, which a follow-up ("do they
   * allow pets?") needs to be understood.
   */
  public static String query(String question, List<String> context, HybridRetriever.Mode mode) {
    return mode == HybridRetriever.Mode.HYBRID_CONTEXT
        ? ConversationQuery.expand(question, context == null ? List.of() : context, ConversationQuery.DEFAULT_TURNS)
        : question;
  }
}
