package dev.supportagent.activities.model.cache;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Optional;

/**
 * The lookup counter, {@code support_answer_cache_lookups} with attribute {@code result}: {@code
 * exact_hit}, {@code semantic_hit} or {@code miss} (Prometheus shows it as {@code
 * support_answer_cache_lookups_total}).
 */
final class AnswerCacheMetrics {

  static final String LOOKUPS = "support_answer_cache_lookups";
  static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
  static final String MISS = "miss";

  private static final Attributes MISS_ATTRIBUTES = Attributes.of(RESULT, MISS);
  private static final Attributes EXACT_ATTRIBUTES = Attributes.of(RESULT, CacheHit.Kind.EXACT.metricResult());
  private static final Attributes SEMANTIC_ATTRIBUTES =
      Attributes.of(RESULT, CacheHit.Kind.SEMANTIC.metricResult());

  private final LongCounter lookups;

  AnswerCacheMetrics(Meter meter) {
    this.lookups =
        meter
            .counterBuilder(LOOKUPS)
            .setDescription("Answer cache lookups by result: exact_hit, semantic_hit or miss")
            .build();
  }

  Optional<CacheHit> record(Optional<CacheHit> hit) {
    lookups.add(
        1,
        hit.map(h -> h.kind() == CacheHit.Kind.EXACT ? EXACT_ATTRIBUTES : SEMANTIC_ATTRIBUTES)
            .orElse(MISS_ATTRIBUTES));
    return hit;
  }
}
