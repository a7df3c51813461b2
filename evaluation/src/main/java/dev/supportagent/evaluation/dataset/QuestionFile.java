package dev.supportagent.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSONL question file; every unreadable row is reported with its line number. */
public final class QuestionFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private QuestionFile() {}

  public static List<Question> read(Path file) {
    return JsonLines.read(file, "questions", QuestionFile::parse);
  }

  private static Question parse(int line, JsonNode row) {
    if (!row.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String id = text(row, "id", true);
    String question = text(row, "question", true);
    List<Question.Turn> history = new ArrayList<>();
    for (JsonNode turn : row.path("history")) {
      String role = text(turn, "role", true);
      if (!role.equals("user") && !role.equals("agent")) {
        throw new IllegalArgumentException("history role must be user or agent, got '" + role + "'");
      }
      history.add(new Question.Turn(role, text(turn, "text", true)));
    }
    List<String> docIds = new ArrayList<>();
    for (JsonNode doc : row.path("doc_ids")) {
      docIds.add(doc.asText());
    }
    return new Question(line, id, question, history, docIds, text(row, "answer", false), text(row, "expect", false));
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing field '" + field + "'");
      }
      return null;
    }
    if (!v.isTextual() || (required && v.asText().isBlank())) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.split("\n")[0];
  }
}
