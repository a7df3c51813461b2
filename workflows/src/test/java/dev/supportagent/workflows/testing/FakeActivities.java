package dev.supportagent.workflows.testing;

import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.GuardActivities;
import dev.supportagent.workflows.guard.InputCheckRequest;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.OutputFilterRequest;
import dev.supportagent.workflows.guard.OutputFilterResult;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory activities for workflow and API tests. The guard blocks messages containing {@code
 * BLOCKME} and escalates ones asking for a {@code human}; retrieval finds the refunds article unless
 * told to fail; the answerer echoes the top passage and cites it, after {@link #answerDelay} and
 * failing while {@link #answerFails}.
 */
public final class FakeActivities {

  public static final Passage REFUNDS =
      new Passage(
          "billing/refunds.md#0", "billing/refunds.md", "Refunds", "Refund window", null,
          "You can ask for a refund within 14 days of purchase.", 0.91);

  public final AtomicInteger retrievals = new AtomicInteger();
  public final AtomicInteger generations = new AtomicInteger();
  public volatile boolean retrievalFails;
  public volatile List<String> lastContext = List.of();
  public volatile AnswerRequest lastAnswerRequest;
  public volatile boolean answerFails;
  /** The grounding score the answers report (null: not measured). */
  public volatile Double groundingScore;
  public volatile long answerDelayMs;

  public final GuardActivities guard =
      new GuardActivities() {
        @Override
        public InputCheckResult checkInput(InputCheckRequest request) {
          if (request.text().contains("BLOCKME")) {
            return new InputCheckResult(GuardAction.BLOCK, request.text(), "test_rule", 1);
          }
          if (request.text().toLowerCase().contains("human")) {
            return new InputCheckResult(GuardAction.ESCALATE, request.text().strip(), "customer_request", 1);
          }
          return new InputCheckResult(GuardAction.ALLOW, request.text().strip(), null, 1);
        }

        @Override
        public OutputFilterResult filterOutput(OutputFilterRequest request) {
          return new OutputFilterResult(
              GuardAction.ALLOW, request.text().replace("help@example.com", "[email hidden]"), List.of(), 1);
        }
      };

  public final RetrievalActivities retrieval =
      request -> {
        retrievals.incrementAndGet();
        lastContext = request.context();
        if (retrievalFails) {
          throw FailureType.KNOWLEDGE_BASE_MISSING.failure("no index");
        }
        return new RetrievalResult(List.of(REFUNDS), true, "kb-test", 2);
      };

  public final AnswerActivities answer =
      (AnswerRequest request) -> {
        generations.incrementAndGet();
        lastAnswerRequest = request;
        if (answerDelayMs > 0) {
          try {
            Thread.sleep(answerDelayMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (answerFails) {
          throw FailureType.INVALID_REQUEST.failure("the model is down (test)");
        }
        Passage top = request.passages().get(0);
        return new GeneratedAnswer(
            top.text() + " [1]",
            List.of(new Citation(top.documentId(), top.title(), top.url(), top.section())),
            false, "fake", "offline", "test-v1", 10, 5, 0.0, 3).withGrounding(groundingScore);
      };
}
