package dev.supportagent.activities.model.cache;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base version the answer cache keys its entries on, read from Elasticsearch:
 * {@code <index>@<chunks>@<latest update>}, for example {@code kb-chunks-3f2a@278@1764240012345}.
 *
 * <ul>
 *   <li>{@code index}: the concrete index behind the alias. A full rebuild (and {@code ingest
 *       --direct} of changed content) writes a new index and moves the alias, so the version
 *       changes.
 *   <li>{@code chunks}: how many chunks the index holds. Deleting documents, or chunks a shorter
 *       document no longer has, lowers it.
 *   <li>{@code latest update}: the newest {@code updated_at} of a chunk, in epoch milliseconds. An
 *       ingestion writes every new or changed document's chunks with the time of writing, so any
 *       change raises it; unchanged documents are skipped and leave it as it was.
 * </ul>
 *
 * So an ingestion that changes, adds or removes documents gives a new version and the cache starts
 * empty for it, while one that changes nothing keeps the cache. Two limits: a change is seen once
 * Elasticsearch has refreshed the index (about a second) and once this reader's copy is older than
 * its refresh interval; and a write stamped by a worker whose clock runs behind the newest stamp
 * (by more than the time since that stamp) changes the version only if it also changes the count.
 *
 * <p>Thread-safe; one instance per worker. Answers from a copy at most {@link #refreshInterval()}
 * old, so a turn costs at most one small search (size 1, no source) per interval.
 */
public final class KnowledgeBaseVersion {

  private static final Logger log = LoggerFactory.getLogger(KnowledgeBaseVersion.class);

  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(2);

  private record Read(Optional<String> version, long atNanos) {}

  private final ElasticsearchClient es;
  private final String alias;
  private final Duration refreshInterval;
  private final LongSupplier nanoClock;
  private volatile Read last;

  public KnowledgeBaseVersion(ElasticsearchClient es, String alias) {
    this(es, alias, DEFAULT_REFRESH_INTERVAL, System::nanoTime);
  }

  KnowledgeBaseVersion(ElasticsearchClient es, String alias, Duration refreshInterval, LongSupplier nanoClock) {
    this.es = es;
    this.alias = alias;
    this.refreshInterval = refreshInterval;
    this.nanoClock = nanoClock;
  }

  public Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * The current version; empty when the alias is missing or holds no chunks, or Elasticsearch
   * cannot be reached (logged): the caller then skips the cache for the turn. Raises nothing.
   */
  public Optional<String> current() {
    Read r = last;
    long now = nanoClock.getAsLong();
    if (r != null && now - r.atNanos() < refreshInterval.toNanos()) {
      return r.version();
    }
    Optional<String> version;
    try {
      version = read();
    } catch (IOException | RuntimeException e) {
      log.warn("answer cache: cannot read the knowledge base version of {}: {}", alias, e.toString());
      version = Optional.empty();
    }
    last = new Read(version, now);
    return version;
  }

  private Optional<String> read() throws IOException {
    SearchResponse<Void> response =
        es.search(
            s -> s.index(alias)
                .size(1)
                .source(src -> src.fetch(false))
                .trackTotalHits(t -> t.enabled(true))
                .sort(o -> o.field(f -> f.field("updated_at").order(SortOrder.Desc)))
                .ignoreUnavailable(true)
                .allowNoIndices(true),
            Void.class);
    if (response.hits().hits().isEmpty() || response.hits().total() == null) {
      return Optional.empty();
    }
    Hit<Void> newest = response.hits().hits().get(0);
    FieldValue latest = newest.sort().isEmpty() ? null : newest.sort().get(0);
    long latestMillis = latest != null && latest.isLong() ? latest.longValue() : 0;
    return Optional.of(format(newest.index(), response.hits().total().value(), latestMillis));
  }

  static String format(String index, long chunks, long latestUpdateMillis) {
    return index + "@" + chunks + "@" + latestUpdateMillis;
  }
}
