package dev.supportagent.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.model.gateway.ModelTier;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnRouterTest {

  static final Passage P = new Passage("a#0", "a", "A", null, null, "text", 0.9);
  final TurnRouter router = new TurnRouter(new TurnRouter.Budgets(1.0, 100.0), 0.70);
  final TurnRouter.Spent nothing = new TurnRouter.Spent(0, 0);

  static AnswerRequest ask(String q, boolean relevant, double score, int failures) {
    return new AnswerRequest("c", "t", q, List.of(P), relevant, "m", List.of(), failures, "kb", score);
  }

  @Test
  void should_route_by_readable_rules() {
    assertEquals(ModelTier.FAST, router.route(ask("What is the refund window?", true, 0.9, 0), nothing).tier());
    assertEquals("earlier model failure", router.route(ask("refund window?", true, 0.9, 1), nothing).reason());
    assertEquals(ModelTier.STRONG, router.route(ask("Why was I charged twice?", true, 0.9, 0), nothing).tier());
    assertEquals(ModelTier.STRONG, router.route(ask("the hub won't pair", true, 0.9, 0), nothing).tier());
    assertEquals("weak retrieval", router.route(ask("refund window?", true, 0.72, 0), nothing).reason());
    assertEquals("long question", router.route(ask("word ".repeat(30), true, 0.9, 0), nothing).reason());
    assertNull(router.route(ask("refund window?", false, 0.5, 0), nothing).tier(), "nothing relevant: no model");
  }

  @Test
  void should_downgrade_at_half_the_budget_and_stop_using_models_when_it_is_spent() {
    AnswerRequest hard = ask("Why was I charged twice?", true, 0.9, 0);

    TurnRouter.Route half = router.route(hard, new TurnRouter.Spent(0.5, 0));
    TurnRouter.Route dayHalf = router.route(hard, new TurnRouter.Spent(0, 60));
    TurnRouter.Route spent = router.route(hard, new TurnRouter.Spent(1.0, 0));

    assertEquals(ModelTier.FAST, half.tier());
    assertTrue(half.reason().contains("downgraded"));
    assertEquals(ModelTier.FAST, dayHalf.tier());
    assertNull(spent.tier());
    assertEquals("offline", spent.label());
    TurnRouter unlimited = new TurnRouter(new TurnRouter.Budgets(0, 0), 0.70);
    assertEquals(ModelTier.STRONG, unlimited.route(hard, new TurnRouter.Spent(99, 99)).tier(), "0 turns a budget off");
  }

  @Test
  void should_split_prompt_versions_stickily_by_conversation() {
    PromptSplit split = PromptSplit.parse("support-v1:50,support-v2:50");
    int v2 = 0;
    for (int i = 0; i < 1000; i++) {
      String id = "conversation-" + i;
      String version = split.versionFor(id);
      assertEquals(version, split.versionFor(id), "sticky");
      v2 += version.equals("support-v2") ? 1 : 0;
    }
    assertTrue(v2 > 400 && v2 < 600, "about half: " + v2);
    assertEquals("support-v1", PromptSplit.parse("support-v1:1,support-v2:0").versionFor("any"));
    for (String bad : List.of("", "a:x", "a:-1", "a,a", "a:0")) {
      assertThrows(IllegalArgumentException.class, () -> PromptSplit.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new PromptTemplates(List.of("support-v9")));
    PromptTemplates.Prompt p = new PromptTemplates(List.of("support-v1")).get("support-v1");
    assertTrue(p.systemPrompt().contains(p.canary()) && !p.systemPrompt().contains("{{canary}}"));
  }
}
