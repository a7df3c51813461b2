package dev.supportagent.activities.turnlog;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.activities.pii.PiiType;
import dev.supportagent.activities.pii.PlaceholderMapping;
import dev.supportagent.activities.pii.Redactor;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnLogActivities;
import dev.supportagent.workflows.turnlog.TurnLogBatch;
import dev.supportagent.workflows.turnlog.TurnRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The turn log in Elasticsearch: one document per turn, id {@code CONVERSATION_ID/TURN_ID}, in a
 * monthly index ({@code support-turns-v1-2026.11}, by the month the turn's message arrived) made
 * from an index template that carries the mapping ({@value #MAPPING_RESOURCE}) and puts every
 * month behind the alias {@link #DEFAULT_ALIAS}, which readers use.
 *
 * <p>Retention drops whole months: {@link #deleteOlderThan} deletes a month's index once all of it
 * is older than the retention, so a turn is kept at least that long and at most a month longer.
 * (The test distribution of Elasticsearch has no delete-by-query; whole indices are cheaper anyway.)
 *
 * <p>Every text (question, reply, feedback comment) is redacted first: each value the PII detector
 * finds becomes a typed placeholder ({@code [EMAIL_1]}), with one mapping per document that is
 * thrown away, so the log never holds the raw value. Writes are partial updates with upsert:
 * writing a turn twice stores it once, and a rating that arrives first is kept when the turn comes.
 */
public final class ElasticsearchTurnLog implements TurnLogActivities {

  public static final String DEFAULT_ALIAS = "support-turns";
  static final String MAPPING_RESOURCE = "/turn-log-mapping.json";
  /** Between the alias and the month; a new mapping version gets new indices. */
  static final String SCHEMA = "-v1-";
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);

  private final ElasticsearchClient es;
  private final String alias;
  private final Redactor redactor;
  private final Clock clock;
  private final Function<String, String> armOf;
  private volatile boolean templateReady;

  /** A turn log whose A/B arm is the prompt version the turn used (none for turns without a model). */
  public ElasticsearchTurnLog(ElasticsearchClient es, String alias, Clock clock) {
    this(es, alias, clock, null);
  }

  /**
   * A turn log whose A/B arm ({@code ab_arm}) is the one {@code armOf} assigns to the conversation
   * (the prompt split's), so turns that never reach a model (blocked, handed to a person) count
   * for their arm too; {@code prompt_version} stays the version a turn actually used.
   */
  public ElasticsearchTurnLog(ElasticsearchClient es, String alias, Clock clock, Function<String, String> armOf) {
    this(es, alias, new Redactor(PiiDetector.defaults()), clock, armOf);
  }

  ElasticsearchTurnLog(
      ElasticsearchClient es, String alias, Redactor redactor, Clock clock, Function<String, String> armOf) {
    this.es = es;
    this.alias = alias;
    this.redactor = redactor;
    this.clock = clock;
    this.armOf = armOf;
  }

  /** The alias over every month: what readers query. */
  public String alias() {
    return alias;
  }

  /** The pattern of the monthly indices. */
  public String indexPattern() {
    return alias + SCHEMA + "*";
  }

  /** The index of the month of {@code at}. */
  String indexFor(String at) {
    Instant when;
    try {
      when = at == null ? Instant.now(clock) : Instant.parse(at);
    } catch (DateTimeParseException e) {
      when = Instant.now(clock);
    }
    return alias + SCHEMA + MONTH.format(when);
  }

  @Override
  public void record(TurnRecord turn) {
    PlaceholderMapping mapping = new PlaceholderMapping();
    List<PiiType> found = new ArrayList<>();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conversation_id", turn.conversationId());
    doc.put("turn_id", turn.turnId());
    doc.put("message_id", turn.messageId());
    doc.put("customer_id", turn.customerId());
    doc.put("at", turn.at());
    doc.put("logged_at", Instant.now(clock).toString());
    doc.put("question", redact(turn.question(), mapping, found));
    doc.put("reply", redact(turn.reply(), mapping, found));
    doc.put("citations", turn.citations().stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("document_id", c.documentId());
      m.put("title", c.title());
      m.put("section", c.section());
      m.put("url", c.url());
      return m;
    }).toList());
    doc.put("passages", turn.passages().stream().map(p -> Map.of(
        "passage_id", p.passageId(), "document_id", p.documentId(), "score", p.score())).toList());
    doc.put("input_verdicts", verdicts(turn.inputVerdicts()));
    doc.put("output_verdicts", verdicts(turn.outputVerdicts()));
    doc.put("guard_trips", trips(turn));
    doc.put("blocked", turn.blocked());
    doc.put("escalated", turn.escalated());
    doc.put("reason", turn.reason());
    doc.put("escalation_id", turn.escalationId());
    doc.put("model", turn.model());
    doc.put("provider", turn.provider());
    doc.put("tier", turn.tier());
    doc.put("prompt_version", turn.promptVersion());
    doc.put("ab_arm", armOf == null ? turn.promptVersion() : armOf.apply(turn.conversationId()));
    doc.put("tokens_in", turn.tokensIn());
    doc.put("tokens_out", turn.tokensOut());
    doc.put("cost_usd", turn.costUsd());
    doc.put("latency_ms", turn.latencyMs());
    doc.put("stages_ms", turn.stagesMs());
    doc.put("attempts", turn.attempts());
    doc.put("fallbacks", turn.fallbacks());
    doc.put("fallback_count", turn.fallbacks().size());
    doc.put("kb_version", turn.kbVersion());
    doc.put("grounding_score", turn.groundingScore());
    doc.put("redacted_types", found.stream().map(Enum::name).distinct().toList());
    upsert(indexFor(turn.at()), documentId(turn.conversationId(), turn.turnId()), doc);
  }

  @Override
  public void recordFeedback(TurnFeedback feedback) {
    Map<String, Object> rating = new LinkedHashMap<>();
    rating.put("rating", feedback.rating());
    rating.put("comment", redact(feedback.comment(), new PlaceholderMapping(), new ArrayList<>()));
    rating.put("at", feedback.at());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conversation_id", feedback.conversationId());
    doc.put("turn_id", feedback.turnId());
    doc.put("feedback", rating);
    upsert(indexFor(feedback.turnAt()), documentId(feedback.conversationId(), feedback.turnId()), doc);
  }

  @Override
  public void recordAll(TurnLogBatch batch) {
    batch.turns().forEach(this::record);
    batch.ratings().forEach(this::recordFeedback);
  }

  /** The document id of a turn: stable across retries, so a second write replaces the first. */
  public static String documentId(String conversationId, String turnId) {
    return conversationId + "/" + turnId;
  }

  /**
   * Deletes the months whose every turn arrived more than {@code retention} ago; returns the
   * indices deleted. The worker runs it daily ({@code SUPPORT_TURN_LOG_RETENTION_DAYS}).
   */
  public List<String> deleteOlderThan(Duration retention) {
    Instant cutoff = Instant.now(clock).minus(retention);
    try {
      List<String> old = new ArrayList<>();
      for (String index : indices()) {
        YearMonth month = monthOf(index);
        if (month != null && month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).isBefore(cutoff)) {
          old.add(index);
        }
      }
      if (!old.isEmpty()) {
        es.indices().delete(d -> d.index(old));
      }
      return old;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The monthly indices there are, oldest first. */
  public List<String> indices() throws IOException {
    return es.indices().get(g -> g.index(indexPattern()).allowNoIndices(true)).indices().keySet().stream()
        .sorted().toList();
  }

  /** Deletes every month and the index template: the whole turn log (for tests and tear-downs). */
  public void drop() throws IOException {
    List<String> all = indices();
    if (!all.isEmpty()) {
      es.indices().delete(d -> d.index(all));
    }
    // made by the first write: a log nothing was written to has none
    if (es.indices().existsIndexTemplate(e -> e.name(alias + "-v1")).value()) {
      es.indices().deleteIndexTemplate(d -> d.name(alias + "-v1"));
    }
    templateReady = false;
  }

  private YearMonth monthOf(String index) {
    String month = index.substring(index.lastIndexOf('-') + 1);
    try {
      return YearMonth.parse(month, DateTimeFormatter.ofPattern("yyyy.MM"));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Puts the index template (mapping, settings, alias) for the monthly indices; every write calls
   * it until it has succeeded once. Safe to race: the template is the same for every worker.
   */
  public void putTemplate() {
    if (templateReady) {
      return;
    }
    try (InputStream mapping = ElasticsearchTurnLog.class.getResourceAsStream(MAPPING_RESOURCE)) {
      es.indices().putIndexTemplate(t -> t
          .name(alias + "-v1")
          .indexPatterns(indexPattern())
          .template(tm -> tm.withJson(mapping).aliases(alias, a -> a)));
      templateReady = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void upsert(String index, String id, Map<String, Object> doc) {
    putTemplate();
    try {
      es.update(u -> u.index(index).id(id).doc(doc).docAsUpsert(true).retryOnConflict(3), Map.class);
    } catch (ElasticsearchException e) {
      // a mapping conflict will not heal on a retry
      if (e.status() == 400) {
        throw FailureType.INVALID_REQUEST.failure("turn log rejected the record: " + e.error().type());
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String redact(String text, PlaceholderMapping mapping, List<PiiType> found) {
    // one mapping for the document, so a value keeps its placeholder in question and reply
    return redactor.redact(text, mapping, found);
  }

  private static List<Map<String, Object>> verdicts(List<ScanVerdict> verdicts) {
    return verdicts.stream().map(v -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scanner", v.scanner());
      m.put("action", v.action() == null ? null : v.action().name());
      m.put("score", v.score());
      m.put("reasons", v.reasons());
      return m;
    }).toList();
  }

  /** The scanners whose verdict was anything but allow, input and output together. */
  static List<String> trips(TurnRecord turn) {
    Set<String> trips = new LinkedHashSet<>();
    for (List<ScanVerdict> list : List.of(turn.inputVerdicts(), turn.outputVerdicts())) {
      for (ScanVerdict v : list) {
        if (v.action() != null && v.action() != GuardAction.ALLOW) {
          trips.add(v.scanner());
        }
      }
    }
    return List.copyOf(trips);
  }
}
