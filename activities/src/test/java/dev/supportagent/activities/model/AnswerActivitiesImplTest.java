package dev.supportagent.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.pii.Redactor;
import dev.supportagent.activities.filter.OutputGuardConfig;
import dev.supportagent.activities.model.gateway.FakeModelServer;
import dev.supportagent.activities.model.gateway.GatewayTimeouts;
import dev.supportagent.activities.model.gateway.InMemoryCircuitBreaker;
import dev.supportagent.activities.model.gateway.CircuitBreaker;
import dev.supportagent.activities.model.gateway.ModelGateway;
import dev.supportagent.activities.model.gateway.ModelGatewayConfig;
import dev.supportagent.activities.model.gateway.RetryPolicy;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.answer.AnswerStreams;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.retrieval.Passage;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.supportagent.activities.model.cache.AnswerCache;
import dev.supportagent.activities.model.cache.AnswerCacheSettings;
import dev.supportagent.activities.model.cache.InMemoryAnswerCache;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The answer activity over a fake OpenAI-compatible server: routing, streaming, citations, cost. */
class AnswerActivitiesImplTest {

  static final Passage REFUNDS =
      new Passage("billing/refunds.md#0", "billing/refunds.md", "Refunds", "Annual plans", null,
          "Annual plans are refunded within 14 days.", 0.9);
  static final Passage HUB =
      new Passage("devices/hub.md#0", "devices/hub.md", "Hub", null, null, "The hub has a 30-day return window.", 0.8);

  FakeModelServer fast;
  FakeModelServer strong;
  final List<String[]> streamed = new ArrayList<>();
  final CostBudget budget = CostBudget.inMemory();

  @BeforeEach
  void start() throws Exception {
    fast = new FakeModelServer();
    strong = new FakeModelServer();
  }

  @AfterEach
  void stop() {
    fast.close();
    strong.close();
  }

  AnswerActivitiesImpl activity(TurnRouter.Budgets budgets) {
    return activity(budgets, null);
  }

  AnswerActivitiesImpl activity(TurnRouter.Budgets budgets, AnswerCache cache) {
    ModelGatewayConfig config =
        ModelGatewayConfig.fromEnv(Map.of(
            "SUPPORT_MODEL_FAST", "openai:gpt-4o-mini@" + fast.baseUrl(),
            "SUPPORT_MODEL_STRONG", "openai:gpt-4o@" + strong.baseUrl()));
    ModelGateway gateway =
        ModelGateway.builder(config)
            .circuitBreaker(new InMemoryCircuitBreaker(CircuitBreaker.Settings.DEFAULT))
            .retryPolicy(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2)))
            .timeouts(new GatewayTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10)))
            .build();
    PromptSplit split = PromptSplit.parse("support-v1:1,support-v2:1");
    return new AnswerActivitiesImpl(
        new AnswerActivitiesImpl.Parts(
            new OfflineAnswerer(), gateway, new TurnRouter(budgets, 0.70), budget,
            new PromptTemplates(split.versions()), split, new OutputFilter(),
            (c, m) -> (type, text) -> streamed.add(new String[] {type, text}),
            cache,
            () -> Optional.of("kb-1@10@t"),
            Redactor.forModelCalls(),
            new OutputGuard(OutputGuardConfig.defaults(), OpenTelemetry.noop().getMeter("t"))),
        new StageTimer(OpenTelemetry.noop()),
        OpenTelemetry.noop());
  }

  static AnswerRequest request(String question, double score, int earlierFailures) {
    return new AnswerRequest(
        "conversation-1", "turn-2", question, List.of(REFUNDS, HUB), true, "m-1",
        List.of(new HistoryMessage("user", "hi"), new HistoryMessage("agent", "Hello! How can I help?")),
        earlierFailures, "kb-1", score);
  }

  @Test
  void should_answer_an_easy_question_on_the_fast_tier_with_citations_cost_and_a_masked_stream() {
    fast.enqueue(FakeModelServer.openAi(
        List.of("Annual plans are refunded within 14 days [1]. ", "Write to help@", "lumora.com", " for help [1].")));

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request("refund for my annual plan?", 0.9, 0));

    assertEquals("fast", a.tier());
    assertEquals("gpt-4o-mini", a.model());
    assertEquals("openai", a.provider());
    assertEquals(List.of("billing/refunds.md"), a.citations().stream().map(c -> c.documentId()).toList());
    assertTrue(a.text().startsWith("Annual plans are refunded within 14 days [1]."), a.text());
    assertFalse(a.declined());
    assertTrue(a.costUsd() > 0, "priced from the usage the server sent");
    assertTrue(a.promptVersion().startsWith("support-v"));
    assertEquals(a.costUsd(), budget.spent("conversation-1").conversationUsd(), 1e-12);
    // the stream: whole sentences, the e-mail address masked before it left, then the end
    List<String> tokens = streamed.stream().filter(e -> e[0].equals(AnswerStreams.TOKEN)).map(e -> e[1]).toList();
    assertEquals("Annual plans are refunded within 14 days [1]. ", tokens.get(0));
    assertTrue(tokens.get(1).contains(OutputFilter.EMAIL_MASK) && !tokens.get(1).contains("lumora.com"), tokens.toString());
    assertEquals(AnswerStreams.DONE, streamed.get(streamed.size() - 1)[0]);
    // the model saw the system prompt, the earlier turns and the numbered passages
    String sent = fast.requests().get(0).body();
    assertTrue(sent.contains("canary-"), "the system prompt carries its canary");
    assertTrue(sent.contains("Hello! How can I help?"));
    assertTrue(sent.contains("[2] Hub"));
  }

  @Test
  void should_ask_the_model_before_its_first_heartbeat_and_heartbeat_as_sentences_are_streamed() {
    fast.enqueue(FakeModelServer.openAi(List.of("Annual plans are refunded within 14 days [1]. ", "Ask us [1].")));
    List<Integer> requestsSeenAtHeartbeat = new ArrayList<>();
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activity(new TurnRouter.Budgets(1, 10)));
      env.setActivityHeartbeatListener(Object.class, details -> requestsSeenAtHeartbeat.add(fast.requestCount()));
      AnswerActivities stub =
          env.newActivityStub(
              AnswerActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setHeartbeatTimeout(Duration.ofSeconds(10))
                  .build());

      GeneratedAnswer a = stub.generate(request("refund for my annual plan?", 0.9, 0));

      assertEquals("gpt-4o-mini", a.model());
    } finally {
      env.close();
    }
    // a heartbeat is a blocking call to Temporal: none stands between the activity's start and
    // the model's request, and the streamed sentences keep the attempt alive
    assertFalse(requestsSeenAtHeartbeat.isEmpty(), "the streamed sentences heartbeat");
    assertEquals(1, requestsSeenAtHeartbeat.get(0), "the first heartbeat came after the model was asked");
  }

  @Test
  void should_send_a_troubleshooting_question_to_the_strong_tier_and_fall_back_to_offline_when_it_fails() {
    strong.enqueue(FakeModelServer.status(500), FakeModelServer.status(500));

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request("why does my refund not work?", 0.9, 0));

    assertEquals("strong", a.tier());
    assertEquals(OfflineAnswerer.MODEL, a.model());
    assertEquals(2, strong.requestCount());
    assertEquals(1, a.fallbacks().size());
    assertTrue(a.fallbacks().get(0).contains("http 500"), a.fallbacks().toString());
    assertFalse(a.citations().isEmpty(), "the offline answer cites too");
  }

  @Test
  void should_answer_offline_without_a_request_once_the_budget_is_spent() {
    budget.record("conversation-1", 2.0);

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request("refund for my annual plan?", 0.9, 0));

    assertEquals("offline", a.tier());
    assertEquals(OfflineAnswerer.MODEL, a.model());
    assertEquals(0, fast.requestCount() + strong.requestCount());
    assertTrue(streamed.stream().anyMatch(e -> e[0].equals(AnswerStreams.TOKEN)), "offline answers stream too");
  }

  @Test
  void should_drop_citations_of_passages_that_were_not_given() {
    fast.enqueue(FakeModelServer.openAi(List.of("Refunds take 14 days [1][7]. The hub [2] too [2].")));

    GeneratedAnswer a = activity(new TurnRouter.Budgets(0, 0)).generate(request("refund?", 0.9, 0));

    assertEquals(List.of("billing/refunds.md", "devices/hub.md"), a.citations().stream().map(c -> c.documentId()).toList());
    assertFalse(a.text().contains("[7]"), a.text());
  }

  @Test
  void should_answer_a_repeated_first_question_from_the_cache_without_a_model_call() {
    AnswerCache cache =
        new InMemoryAnswerCache(new AllMiniLmL6V2EmbeddingModel(), OpenTelemetry.noop().getMeter("t"), AnswerCacheSettings.DEFAULT);
    AnswerActivitiesImpl activity = activity(new TurnRouter.Budgets(1, 10), cache);
    fast.enqueue(FakeModelServer.openAi(List.of("Annual plans are refunded within 14 days [1].")));
    AnswerRequest first =
        new AnswerRequest("conversation-a", "turn-1", "How long is the refund window for annual plans?",
            List.of(REFUNDS, HUB), true, "m-1", List.of(), 0, "kb-1", 0.9);
    // the cache is per prompt version: the second conversation is one in the same arm of the split
    PromptSplit split = PromptSplit.parse("support-v1:1,support-v2:1");
    String other = "conversation-b";
    for (int i = 0; !split.versionFor(other).equals(split.versionFor("conversation-a")); i++) {
      other = "conversation-b" + i;
    }
    AnswerRequest again =
        new AnswerRequest(other, "turn-1", "how long is the refund window for annual plans",
            List.of(REFUNDS, HUB), true, "m-2", List.of(), 0, "kb-1", 0.9);
    AnswerRequest followUp =
        new AnswerRequest("conversation-c", "turn-2", "How long is the refund window for annual plans?",
            List.of(REFUNDS, HUB), true, "m-3", List.of(new HistoryMessage("user", "hi")), 0, "kb-1", 0.9);

    GeneratedAnswer model = activity.generate(first);
    GeneratedAnswer cached = activity.generate(again);
    activity.generate(followUp);

    assertEquals("openai", model.provider());
    assertEquals("cache", cached.provider());
    assertEquals(model.text(), cached.text());
    assertEquals(model.citations(), cached.citations());
    assertEquals(0, cached.costUsd());
    assertEquals(2, fast.requestCount(), "the repeat cost nothing; a question with earlier turns is never cached");
  }

  @Test
  void should_send_placeholders_to_the_model_and_give_the_customer_their_values_back() {
    fast.enqueue(FakeModelServer.openAi(
        List.of("Thanks [PERSON_1]. ", "Annual plans are refunded within 14 days [1]; ", "we will write to [EMAIL_1].")));
    AnswerRequest request =
        new AnswerRequest(
            "conversation-1", "turn-2", "refund for my annual plan? write to lena@example.com", List.of(REFUNDS, HUB),
            true, "m-1", List.of(new HistoryMessage("user", "Hi, my name is Lena Andersson")), 0, "kb-1", 0.9);

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request);

    String sent = fast.requests().get(0).body();
    assertTrue(sent.contains("[EMAIL_1]") && sent.contains("[PERSON_1]"), sent);
    assertFalse(sent.contains("lena@example.com") || sent.contains("Andersson"), "no raw value reaches the provider");
    assertEquals("Thanks Lena Andersson. Annual plans are refunded within 14 days [1]; we will write to lena@example.com.", a.text());
    List<String> tokens = streamed.stream().filter(e -> e[0].equals(AnswerStreams.TOKEN)).map(e -> e[1]).toList();
    assertEquals("Thanks Lena Andersson. ", tokens.get(0));
    assertFalse(String.join("", tokens).contains("[PERSON_1]"), tokens.toString());
  }

  @Test
  void should_replace_a_reply_that_leaks_the_system_prompts_canary() {
    PromptTemplates prompts = new PromptTemplates(List.of("support-v1", "support-v2"));
    String canaries = prompts.get("support-v1").canary() + " " + prompts.get("support-v2").canary();
    fast.enqueue(FakeModelServer.openAi(List.of("My instructions say: Reference: " + canaries + " [1].")));

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request("refund for my annual plan?", 0.9, 0));

    assertEquals(OutputGuardConfig.defaults().safeAnswer(), a.text());
    assertFalse(a.text().contains("canary-"));
    assertTrue(a.citations().isEmpty());
    assertTrue(a.declined());
  }

  @Test
  void should_mask_an_e_mail_address_the_customer_did_not_give_in_the_final_reply() {
    fast.enqueue(FakeModelServer.openAi(List.of("Annual plans are refunded within 14 days [1]. Ask tom@example.net.")));

    GeneratedAnswer a = activity(new TurnRouter.Budgets(1, 10)).generate(request("refund for my annual plan?", 0.9, 0));

    assertEquals("Annual plans are refunded within 14 days [1]. Ask [email hidden].", a.text());
  }
}
