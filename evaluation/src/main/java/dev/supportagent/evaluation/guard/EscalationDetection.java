package dev.supportagent.evaluation.guard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code escalation --questions FILE}: how well the input guard hands a customer who asks for a
 * person to one, on a question file's {@code escalate} rows (detected: the guard's action is
 * ESCALATE), and how often it does so by mistake on its {@code answer} rows. The question alone is
 * checked, as the guard checks each message.
 */
public final class EscalationDetection {

  private final Path questions;
  private final int misses;

  EscalationDetection(Path questions, int misses) {
    this.questions = questions;
    this.misses = misses;
  }

  public static EscalationDetection fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--questions", "--misses"));
    Path questions = o.path("--questions", null);
    if (questions == null) {
      throw new UsageException("escalation needs --questions FILE");
    }
    return new EscalationDetection(questions, o.integer("--misses", 0, 0));
  }

  public ObjectNode run() {
    List<Question> rows = QuestionFile.read(questions);
    InputGuard guard =
        InputGuard.builder(InputGuardConfig.defaults()).embeddingModel(Embeddings.queries()).build();
    int escalateRows = 0;
    int detected = 0;
    int answerRows = 0;
    int mistaken = 0;
    List<String> missed = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Question q : rows) {
      if (!"escalate".equals(q.expect()) && !"answer".equals(q.expect())) {
        continue;
      }
      InputCheckResult r = guard.check(q.question());
      boolean escalates = r.action() == GuardAction.ESCALATE;
      if ("escalate".equals(q.expect())) {
        escalateRows++;
        detected += escalates ? 1 : 0;
        if (!escalates && missed.size() < misses) {
          missed.add(q.id() + " (" + r.action() + "): " + q.question());
        }
      } else {
        answerRows++;
        mistaken += escalates ? 1 : 0;
        if (escalates && wrong.size() < misses) {
          wrong.add(q.id() + ": " + q.question());
        }
      }
    }
    missed.forEach(m -> System.err.println("missed: " + m));
    wrong.forEach(w -> System.err.println("escalated by mistake: " + w));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("escalate_rows", escalateRows);
    out.put("detected", detected);
    out.put("detection_rate", escalateRows == 0 ? 0 : round((double) detected / escalateRows));
    out.put("answer_rows", answerRows);
    out.put("escalated_by_mistake", mistaken);
    out.put("mistake_rate", answerRows == 0 ? 0 : round((double) mistaken / answerRows));
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
