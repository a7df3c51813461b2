package dev.supportagent.activities.retrieval;

import dev.supportagent.workflows.retrieval.RetrievalRequest;
import java.util.List;

/**
 * Makes a question that leans on the conversation ("do they allow pets?") searchable: the
 * question, then the most recent earlier messages (newest first), so that a name mentioned a
 * turn or two ago ("the Hobsons House has 3 stars") reaches both the embedding and BM25. The
 * question comes first because the embedding model reads at most 256 tokens.
 */
public final class ConversationQuery {

  /**
   * How many earlier messages join the question: all that the conversation workflow passes
   * ({@link RetrievalRequest#CONTEXT_MESSAGES}, six). Six ranked better than 3 or 4 on long
   * goal-oriented dialogues (doc2dial: recall@1 0.77 with 3, 0.81 with 6) and as well on short
   * ones (docs/results.md, issue 14); the embedding reads the first 256 tokens, BM25 all of it.
   */
  public static final int DEFAULT_TURNS = RetrievalRequest.CONTEXT_MESSAGES;

  private ConversationQuery() {}

  /** The query text: question, then up to {@code turns} context messages, newest first. */
  public static String expand(String question, List<String> context, int turns) {
    StringBuilder query = new StringBuilder(question.strip());
    for (int i = context.size() - 1, used = 0; i >= 0 && used < turns; i--, used++) {
      String message = context.get(i);
      if (message != null && !message.isBlank()) {
        query.append('\n').append(message.strip());
      }
    }
    return query.toString();
  }
}
