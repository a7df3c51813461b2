package dev.supportagent.evaluation.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supportagent.workflows.guard.SafeReplies;
import java.util.List;
import org.junit.jupiter.api.Test;

class BehaviourTest {

  private static Reply reply(String text, List<String> cited, boolean blocked, boolean escalated, String reason) {
    return new Reply(text, cited, blocked, escalated, reason, "m", 0, 0, 0);
  }

  @Test
  void should_classify_replies_by_flags_reason_and_decline_phrases() {
    record Case(Reply reply, Behaviour expected) {}
    List<Case> cases = List.of(
        new Case(reply(SafeReplies.HANDING_OVER, List.of(), false, true, "customer_request"), Behaviour.ESCALATE),
        new Case(reply("…", List.of(), false, true, "low_grounding"), Behaviour.ESCALATE),
        new Case(reply(SafeReplies.BLOCKED, List.of(), true, false, "prompt_injection"), Behaviour.REFUSE),
        new Case(reply(SafeReplies.BLOCKED, List.of(), true, false, "harmful"), Behaviour.REFUSE),
        new Case(reply(SafeReplies.OFF_TOPIC, List.of(), true, false, "off_topic"), Behaviour.DECLINE),
        new Case(reply("I couldn't find anything about that.", List.of(), false, false, "nothing_relevant"), Behaviour.DECLINE),
        new Case(reply("Sorry, I could not find that in our help centre.", List.of(), false, false, null), Behaviour.DECLINE),
        new Case(reply("I don\u2019t have information about garden furniture.", List.of(), false, false, null), Behaviour.DECLINE),
        new Case(reply("I couldn't find a fee: refunds are free. [1]", List.of("billing/refunds.md"), false, false, null),
            Behaviour.ANSWER),
        new Case(reply("Refunds take 5 days.", List.of(), false, false, null), Behaviour.ANSWER),
        new Case(reply("Try again later.", List.of(), false, false, "temporarily_unavailable"), Behaviour.UNAVAILABLE),
        // an empty reply is no answer (the offline answerer once sent some)
        new Case(reply("", List.of(), false, false, null), Behaviour.EMPTY),
        new Case(reply("  ", List.of(), false, false, null), Behaviour.EMPTY));
    for (Case c : cases) {
      assertEquals(c.expected(), Behaviour.of(c.reply()), c.reply().toString());
    }
  }
}
