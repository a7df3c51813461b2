package dev.supportagent.evaluation.answers;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A turn as the conversation workflow runs it, in this process and without Temporal: the input
 * guard (an escalation or a block ends the turn as the workflow ends it), retrieval with the
 * conversation's recent messages as context, then each answerer on the same passages, and the
 * output filter on each reply. Retrieval runs once per question, so the answerers differ only in
 * what they make of the same passages.
 */
final class InProcessTurns {

  /** An answerer under test: the offline answerer, the naive baseline, or a variant. */
  interface Answerer {
    GeneratedAnswer answer(String question, List<HistoryMessage> conversation, List<Passage> passages,
        boolean relevant);
  }

  /** As the workflow's context: its last messages, both roles. */
  static final int CONTEXT_MESSAGES = 6;
  static final int TOP_K = 5;

  /** One question's outcome per answerer, and the answerer's own time in milliseconds. */
  record Turn(Map<String, AnswerScorer.Outcome> outcomes, Map<String, Double> answerMs) {}

  private final InputGuard guard;
  private final RetrievalActivities retrieval;
  private final OutputFilter filter = new OutputFilter();
  private final Map<String, Answerer> answerers;

  InProcessTurns(InputGuard guard, RetrievalActivities retrieval, Map<String, Answerer> answerers) {
    this.guard = guard;
    this.retrieval = retrieval;
    this.answerers = answerers;
  }

  Turn run(Question q) {
    Map<String, AnswerScorer.Outcome> outcomes = new LinkedHashMap<>();
    Map<String, Double> answerMs = new LinkedHashMap<>();
    long start = System.nanoTime();
    InputCheckResult input = guard.check(q.question());
    if (input.action() == GuardAction.ESCALATE || input.action() == GuardAction.BLOCK) {
      boolean escalated = input.action() == GuardAction.ESCALATE;
      double ms = (System.nanoTime() - start) / 1e6;
      Reply reply = new Reply(escalated ? "handed over" : "blocked", List.of(), !escalated, escalated,
          escalated ? (input.reason() == null ? "customer_request" : input.reason()) : input.reason(),
          null, 0, 0, 0);
      for (String name : answerers.keySet()) {
        outcomes.put(name, new AnswerScorer.Outcome(reply, ms, null));
      }
      return new Turn(outcomes, answerMs);
    }
    List<String> history = q.historyTexts();
    List<String> context = history.subList(Math.max(0, history.size() - CONTEXT_MESSAGES), history.size());
    RetrievalResult found;
    try {
      found = retrieval.retrieve(new RetrievalRequest("eval", "turn-1", input.text(), context, TOP_K));
    } catch (RuntimeException e) {
      for (String name : answerers.keySet()) {
        outcomes.put(name, AnswerScorer.Outcome.failed("retrieval: " + e));
      }
      return new Turn(outcomes, answerMs);
    }
    double sharedMs = (System.nanoTime() - start) / 1e6;
    List<HistoryMessage> earlier = new ArrayList<>();
    List<String> customerMessages = new ArrayList<>();
    for (Question.Turn t : q.history()) {
      earlier.add(new HistoryMessage(t.role(), t.text()));
      if (!"agent".equals(t.role())) {
        customerMessages.add(t.text());
      }
    }
    customerMessages.add(input.text());
    List<String> passageTexts = found.passages().stream().map(Passage::text).toList();
    for (Map.Entry<String, Answerer> e : answerers.entrySet()) {
      long t0 = System.nanoTime();
      GeneratedAnswer a = e.getValue().answer(input.text(), earlier, found.passages(), found.relevant());
      double ms = (System.nanoTime() - t0) / 1e6;
      String text = filter.filter(a.text(), customerMessages, passageTexts).text();
      LinkedHashSet<String> cited = new LinkedHashSet<>();
      for (Citation c : a.citations()) {
        cited.add(c.documentId());
      }
      Reply reply = new Reply(text, new ArrayList<>(cited), false, false,
          a.declined() ? "nothing_relevant" : null, a.model(), a.tokensIn(), a.tokensOut(), a.costUsd());
      outcomes.put(e.getKey(), new AnswerScorer.Outcome(reply, sharedMs + ms, null));
      answerMs.put(e.getKey(), ms);
    }
    return new Turn(outcomes, answerMs);
  }
}
