package dev.supportagent.activities.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationQueryTest {

  @Test
  void should_put_the_question_first_then_the_newest_messages() {
    String query =
        ConversationQuery.expand(
            "do they allow pets?", List.of("oldest", "I like Hobsons", "The Hobsons House has 3 stars", "ok"), 3);

    assertEquals("do they allow pets?\nok\nThe Hobsons House has 3 stars\nI like Hobsons", query);
  }

  @Test
  void should_be_the_question_alone_without_context() {
    assertEquals("refund?", ConversationQuery.expand(" refund? ", List.of(), 3));
  }
}
