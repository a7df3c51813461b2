package dev.supportagent.activities.turnlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import dev.supportagent.workflows.testing.IntegrationEnv;
import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The turn log on the real Elasticsearch: one document per turn however often it is written, and no raw personal data in it. */
class ElasticsearchTurnLogIT {

  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final String EMAIL = "jane.doe@example.com";
  static final String CARD = "4111 1111 1111 1111";
  static final String PHONE = "(415) 555-0132";

  static ElasticsearchClient es;
  static ElasticsearchTurnLog log;
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void setUp() {
    es = ElasticsearchClients.create(IntegrationEnv.elasticsearchUrl());
    String alias = "turns-it-" + UUID.randomUUID().toString().substring(0, 8);
    log = new ElasticsearchTurnLog(es, alias, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void tearDown() throws IOException {
    log.drop();
    es.close();
  }

  static TurnRecord turn(String conversationId, String turnId, String at, String question, String reply) {
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("input_check", 3L);
    stages.put("retrieval", 20L);
    stages.put("generation", 40L);
    stages.put("output_filter", 2L);
    return new TurnRecord(
        conversationId, turnId, "m-" + turnId, "customer-9", at, question, reply,
        List.of(new Citation("billing/refunds.md", "Refunds", null, "Refund window")),
        List.of(new TurnRecord.RetrievedPassage("billing/refunds.md#0", "billing/refunds.md", 0.83),
            new TurnRecord.RetrievedPassage("billing/invoices.md#2", "billing/invoices.md", 0.41)),
        List.of(ScanVerdict.allow("prompt_injection"), new ScanVerdict("off_topic", GuardAction.ALLOW, 0.1, List.of())),
        List.of(new ScanVerdict("pii_leak", GuardAction.REDACT, 1.0, List.of("EMAIL_ADDRESS"))),
        false, false, null, null, "gpt-4o-mini", "openai", "fast", "support-v2", 812, 64, 0.00016, 95,
        stages, 1, List.of(), "kb-42", 0.9);
  }

  static JsonNode source(String conversationId, String turnId) throws IOException {
    es.indices().refresh(r -> r.index(log.alias()));
    String id = ElasticsearchTurnLog.documentId(conversationId, turnId);
    var hits = es.search(q -> q.index(log.alias()).query(qq -> qq.ids(i -> i.values(id))), JsonNode.class).hits().hits();
    assertEquals(1, hits.size(), "turn " + turnId + " is stored once");
    return hits.get(0).source();
  }

  static long count(String conversationId) throws IOException {
    es.indices().refresh(r -> r.index(log.alias()));
    return es.count(c -> c.index(log.alias()).query(q -> q.term(t -> t.field("conversation_id").value(conversationId)))).count();
  }

  @Test
  void should_store_a_turn_written_twice_once() throws IOException {
    String conversation = "conv-" + UUID.randomUUID();
    TurnRecord record = turn(conversation, "turn-1", NOW.toString(), "Can I get a refund?", "Yes, within 14 days [1].");

    log.record(record);
    log.record(record);
    log.record(turn(conversation, "turn-2", NOW.toString(), "And for the hub?", "The hub too [1]."));

    assertEquals(2, count(conversation));
    JsonNode doc = source(conversation, "turn-1");
    assertEquals("Can I get a refund?", doc.path("question").asText());
    assertEquals("support-v2", doc.path("prompt_version").asText());
    assertEquals("support-v2", doc.path("ab_arm").asText());
    assertEquals("billing/refunds.md", doc.path("passages").get(0).path("document_id").asText());
    assertEquals(0.83, doc.path("passages").get(0).path("score").asDouble(), 1e-9);
    assertEquals(40, doc.path("stages_ms").path("generation").asLong());
    assertEquals("pii_leak", doc.path("guard_trips").get(0).asText());
    assertEquals(812, doc.path("tokens_in").asLong());
    assertEquals("kb-42", doc.path("kb_version").asText());
  }

  @Test
  void should_file_a_turn_under_its_conversations_arm_even_when_no_model_answered() throws IOException {
    ElasticsearchTurnLog split = new ElasticsearchTurnLog(es, log.alias(), Clock.fixed(NOW, ZoneOffset.UTC),
        conversation -> conversation.endsWith("b") ? "support-v2" : "support-v1");
    String conversation = "conv-" + UUID.randomUUID() + "-b";
    TurnRecord answered = turn(conversation, "turn-1", NOW.toString(), "Can I get a refund?", "Yes [1].");
    TurnRecord handedOver = new TurnRecord(conversation, "turn-2", "m-2", "customer-9", NOW.toString(),
        "a person please", "I'm handing you over.", List.of(), List.of(), List.of(), List.of(), false, true,
        "customer_request", "escalation-1", null, null, null, null, 0, 0, 0, 12, Map.of(), 0, List.of(), null, null);

    split.record(answered);
    split.record(handedOver);

    assertEquals("support-v2", source(conversation, "turn-1").path("ab_arm").asText());
    JsonNode escalated = source(conversation, "turn-2");
    assertEquals("support-v2", escalated.path("ab_arm").asText());
    assertTrue(escalated.path("prompt_version").isMissingNode() || escalated.path("prompt_version").isNull(), escalated.toString());
  }

  @Test
  void should_keep_no_email_card_or_phone_number_from_the_question() throws IOException {
    String conversation = "conv-" + UUID.randomUUID();
    String question = "My email is " + EMAIL + ", card " + CARD + ", call me on " + PHONE + " about the refund";

    log.record(turn(conversation, "turn-1", NOW.toString(), question, "I've noted " + EMAIL + " for the refund."));
    log.recordFeedback(new TurnFeedback(conversation, "turn-1", NOW.toString(), "down", "write to " + EMAIL, NOW.toString()));

    JsonNode doc = source(conversation, "turn-1");
    String stored = json.writeValueAsString(doc);
    for (String raw : List.of(EMAIL, CARD, PHONE, "4111111111111111", "555-0132")) {
      assertFalse(stored.contains(raw), "the turn log holds " + raw + ": " + stored);
    }
    assertTrue(doc.path("question").asText().contains("[EMAIL_1]"), doc.path("question").asText());
    // the same value has the same placeholder in the question and the reply
    assertTrue(doc.path("reply").asText().contains("[EMAIL_1]"), doc.path("reply").asText());
    List<String> types = json.convertValue(doc.path("redacted_types"), json.getTypeFactory().constructCollectionType(List.class, String.class));
    assertTrue(types.containsAll(List.of("EMAIL_ADDRESS", "CREDIT_CARD", "PHONE_NUMBER")), types.toString());
    // nor is the raw value searchable
    es.indices().refresh(r -> r.index(log.alias()));
    long hits = es.count(c -> c.index(log.alias()).query(q -> q.match(m -> m.field("question").query("jane.doe")))).count();
    assertEquals(0, hits);
  }

  @Test
  void should_merge_feedback_with_its_turn_in_either_order() throws IOException {
    String conversation = "conv-" + UUID.randomUUID();

    // the rating reaches the log before its turn does (the turn's write was retried)
    log.recordFeedback(new TurnFeedback(conversation, "turn-1", NOW.toString(), "up", null, NOW.toString()));
    log.record(turn(conversation, "turn-1", NOW.toString(), "Can I get a refund?", "Yes [1]."));
    log.record(turn(conversation, "turn-2", NOW.toString(), "How long does it take?", "Five days [1]."));
    log.recordFeedback(new TurnFeedback(conversation, "turn-2", NOW.toString(), "down", "too slow", NOW.toString()));
    log.recordFeedback(new TurnFeedback(conversation, "turn-2", NOW.toString(), "down", "too slow", NOW.toString()));

    assertEquals(2, count(conversation));
    assertEquals("up", source(conversation, "turn-1").path("feedback").path("rating").asText());
    assertEquals("Can I get a refund?", source(conversation, "turn-1").path("question").asText());
    JsonNode second = source(conversation, "turn-2");
    assertEquals("down", second.path("feedback").path("rating").asText());
    assertEquals("too slow", second.path("feedback").path("comment").asText());
    assertEquals("Five days [1].", second.path("reply").asText());
  }

  @Test
  void should_delete_turns_older_than_the_retention_and_keep_the_rest() throws IOException {
    String conversation = "conv-" + UUID.randomUUID();
    log.record(turn(conversation, "turn-1", NOW.minus(Duration.ofDays(120)).toString(), "old question", "old reply"));
    log.record(turn(conversation, "turn-2", NOW.minus(Duration.ofDays(10)).toString(), "recent question", "recent reply"));
    String oldMonth = log.indexFor(NOW.minus(Duration.ofDays(120)).toString());

    List<String> deleted = log.deleteOlderThan(Duration.ofDays(90));

    assertEquals(List.of(oldMonth), deleted);
    assertFalse(es.indices().exists(e -> e.index(oldMonth)).value());
    assertEquals(1, count(conversation));
    assertEquals("recent question", source(conversation, "turn-2").path("question").asText());
  }

  @Test
  void should_put_each_month_in_its_own_index_with_the_committed_mapping_behind_the_alias() throws IOException {
    String conversation = "conv-" + UUID.randomUUID();
    log.record(turn(conversation, "turn-1", "2026-10-31T23:59:00Z", "Can I get a refund?", "Yes [1]."));

    String index = log.alias() + "-v1-2026.10";
    GetMappingResponse mapping = es.indices().getMapping(m -> m.index(index));
    assertTrue(es.indices().getAlias(a -> a.index(index)).get(index).aliases().containsKey(log.alias()));
    var properties = mapping.get(index).mappings().properties();
    assertTrue(properties.get("question").isText());
    assertTrue(properties.get("conversation_id").isKeyword());
    assertTrue(properties.get("at").isDate());
    assertTrue(properties.get("cost_usd").isDouble());
  }
}
