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

/**
 * Reads a JSONL PII file, {@code {id, text, spans: [{start, end, type}]}} with {@code end}
 * exclusive (DESIGN.md); every unreadable row is reported with its line number.
 */
public final class PiiFile {

  /** A labelled row. */
  public record Row(int line, String id, String text, List<Span> spans) {}

  /** A gold span: {@code text.substring(start, end)} is of {@code type}. */
  public record Span(int start, int end, String type) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private PiiFile() {}

  public static List<Row> read(Path file) {
    return JsonLines.read(file, "rows", PiiFile::parse);
  }

  private static Row parse(int line, JsonNode row) {
    if (!row.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode id = row.get("id");
    JsonNode text = row.get("text");
    if (id == null || id.isNull() || id.asText().isBlank()) {
      throw new IllegalArgumentException("missing field 'id'");
    }
    if (text == null || !text.isTextual()) {
      throw new IllegalArgumentException("field 'text' must be a string");
    }
    JsonNode spans = row.get("spans");
    if (spans == null || !spans.isArray()) {
      throw new IllegalArgumentException("field 'spans' must be an array");
    }
    List<Span> out = new ArrayList<>();
    int length = text.asText().length();
    for (JsonNode s : spans) {
      JsonNode start = s.get("start");
      JsonNode end = s.get("end");
      JsonNode type = s.get("type");
      if (start == null || !start.canConvertToInt() || end == null || !end.canConvertToInt()
          || type == null || !type.isTextual() || type.asText().isBlank()) {
        throw new IllegalArgumentException("a span needs integer 'start' and 'end' and a 'type'");
      }
      if (start.asInt() < 0 || end.asInt() <= start.asInt() || end.asInt() > length) {
        throw new IllegalArgumentException(
            "span [" + start.asInt() + ", " + end.asInt() + ") is outside the text of " + length + " characters");
      }
      out.add(new Span(start.asInt(), end.asInt(), type.asText()));
    }
    return new Row(line, id.asText(), text.asText(), out);
  }
}
