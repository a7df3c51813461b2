package dev.supportagent.activities.model.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachePolicyTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "How do I cancel my subscription?",
        "how much is Pro per year in euros",
        "is firmware 3.2.1 the latest for bulbs?",
        "my light strip is 8 metres and the colours look off",
        "app keeps crashing on my old iphone 8",
        "can I swap my E27 bulbs for B22 ones?",
        "does the hub work on 5GHz wifi? and with WPA3?",
        "is shipping free on orders over $75 in 2025?",
        "my card was declined, what now?",
        "did I miss the refund window?",
        "where is my order?",
        "do you have a 2FA option?",
      })
  void should_accept_general_questions(String question) {
    assertTrue(CachePolicy.eligible(question, false, false), question);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "my email is jane.doe@example.com, can you reset it?",
        "contact me at jane@example",
        "call me on +44 20 7946 0958",
        "my number is 555 0142 12",
        "where is order LS-7734120?",
        "order LS 77341 hasn't arrived",
        "invoice LUM-2025-004218 is wrong",
        "claim WC-1234 status?",
        "card 4111 1111 1111 1111 declined",
        "my IBAN is DE89370400440532013000",
        "VAT id DE123456789 not accepted",
        "hub serial LMH2X9K7Q2 is blinking red",
        "is SW1A 1AA in your delivery area?",
        "I moved to 221B Baker Street, can I change my address?",
        "My name is Anna, can you help?",
        "my password is hunter2hunter",
        "password: correct-horse",
        "here is my token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "see https://example.com/account?id=42",
        "Mrs Jones can't log in",
        "I was charged on 2025-05-01",
      })
  void should_refuse_questions_that_may_hold_personal_data(String question) {
    assertFalse(CachePolicy.eligible(question, false, false), question);
  }

  @Test
  void should_refuse_when_the_turn_has_context_or_the_guard_found_personal_data() {
    assertFalse(CachePolicy.eligible("how do I cancel my subscription?", true, false));
    assertFalse(CachePolicy.eligible("how do I cancel my subscription?", false, true));
  }

  @Test
  void should_refuse_empty_and_long_questions() {
    assertFalse(CachePolicy.eligible(null, false, false));
    assertFalse(CachePolicy.eligible("   ", false, false));
    assertFalse(CachePolicy.eligible("?!", false, false));
    assertFalse(CachePolicy.eligible("why ".repeat(80), false, false));
  }

  @Test
  void should_store_only_cited_answers_that_did_not_decline() {
    Citation c = new Citation("billing/refunds.md", "Refunds", null, null);
    assertTrue(CachePolicy.storable(answer("Within 14 days. [1]", List.of(c), false)));
    assertFalse(CachePolicy.storable(answer("I couldn't find anything.", List.of(), true)));
    assertFalse(CachePolicy.storable(answer("Within 14 days.", List.of(), false)));
    assertFalse(CachePolicy.storable(answer(" ", List.of(c), false)));
    assertFalse(CachePolicy.storable(null));
  }

  private static GeneratedAnswer answer(String text, List<Citation> citations, boolean declined) {
    return new GeneratedAnswer(text, citations, declined, "m", "fast", "v1", 10, 5, 0.001, 12);
  }
}
