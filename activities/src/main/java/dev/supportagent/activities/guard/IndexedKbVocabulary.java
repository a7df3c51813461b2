package dev.supportagent.activities.guard;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.FiltersBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base's {@link KbVocabulary}, read from the chunk index: one search (size 0) with a
 * filters aggregation that counts the chunks using each topical word (singular or plural) in
 * their text. Kept for {@link #DEFAULT_REFRESH_INTERVAL}, so an ingestion shows within a few
 * minutes and only the message that finds the copy stale pays for the one small search. When the
 * index is missing or Elasticsearch cannot be reached, the last copy (at first
 * {@link KbVocabulary#EMPTY}: nothing discounted) is kept and the failure logged.
 *
 * <p>Thread-safe; one instance per worker.
 */
public final class IndexedKbVocabulary implements Supplier<KbVocabulary> {

  private static final Logger log = LoggerFactory.getLogger(IndexedKbVocabulary.class);

  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
  static final String TEXT_FIELD = "text";

  private final ElasticsearchClient es;
  private final String alias;
  private final Duration refreshInterval;
  private final LongSupplier nanoClock;
  private volatile KbVocabulary current = KbVocabulary.EMPTY;
  private volatile long readAt;
  private volatile boolean read;

  public IndexedKbVocabulary(ElasticsearchClient es, String alias) {
    this(es, alias, DEFAULT_REFRESH_INTERVAL, System::nanoTime);
  }

  IndexedKbVocabulary(ElasticsearchClient es, String alias, Duration refreshInterval, LongSupplier nanoClock) {
    this.es = es;
    this.alias = alias;
    this.refreshInterval = refreshInterval;
    this.nanoClock = nanoClock;
  }

  /** The copy at most the refresh interval old; raises nothing. */
  @Override
  public KbVocabulary get() {
    long now = nanoClock.getAsLong();
    if (!read || now - readAt >= refreshInterval.toNanos()) {
      synchronized (this) {
        if (!read || now - readAt >= refreshInterval.toNanos()) {
          readAt = now;
          read = true;
          refresh();
        }
      }
    }
    return current;
  }

  /** Reads the counts now; keeps the last copy when that fails. */
  public void refresh() {
    try {
      current = read();
    } catch (Exception e) {
      log.warn("cannot read the knowledge base's vocabulary from {}: {}", alias, e.toString());
    }
  }

  private KbVocabulary read() throws java.io.IOException {
    Map<String, Query> filters = new LinkedHashMap<>();
    for (String word : KbVocabulary.TOPICAL_WORDS) {
      String forms = word + " " + word + "s";
      filters.put(word, Query.of(q -> q.match(m -> m.field(TEXT_FIELD).query(forms))));
    }
    SearchResponse<Void> r = es.search(s -> s.index(alias).size(0).trackTotalHits(t -> t.enabled(true))
        .aggregations("words", a -> a.filters(f -> f.filters(b -> b.keyed(filters)))), Void.class);
    long total = r.hits().total() == null ? 0 : r.hits().total().value();
    Aggregate words = r.aggregations().get("words");
    Map<String, Long> counts = new LinkedHashMap<>();
    if (words != null && words.isFilters()) {
      for (Map.Entry<String, FiltersBucket> e : words.filters().buckets().keyed().entrySet()) {
        counts.put(e.getKey(), e.getValue().docCount());
      }
    }
    return KbVocabulary.fromCounts(total, counts);
  }
}
