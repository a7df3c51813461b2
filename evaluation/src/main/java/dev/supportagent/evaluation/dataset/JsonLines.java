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
 * Reads a JSONL dataset: one JSON object a line, blank lines skipped. Every unreadable row is
 * reported with its line number (the first 20 of them) before anything runs, so a bad file costs
 * one try; a missing or empty file is a usage error too.
 */
public final class JsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Turns one row into a value; throws IllegalArgumentException saying what is wrong with it. */
  public interface RowParser<T> {
    T parse(int line, JsonNode row);
  }

  private JsonLines() {}

  /** @param what what the rows are, for messages ("questions", "rows") */
  public static <T> List<T> read(Path file, String what, RowParser<T> parser) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("file not found: " + file);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
    return parse(file.toString(), lines, what, parser);
  }

  /** The same, for lines already read (a resource); {@code name} labels the problems. */
  public static <T> List<T> parse(String name, List<String> lines, String what, RowParser<T> parser) {
    List<T> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode row = JSON.readTree(line);
        if (row == null || !row.isObject()) {
          throw new IllegalArgumentException("not a JSON object");
        }
        rows.add(parser.parse(i + 1, row));
      } catch (IOException | IllegalArgumentException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        problems.add(name + ":" + (i + 1) + ": " + m);
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(problems.size() + " unreadable row(s):\n  "
          + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
    }
    if (rows.isEmpty()) {
      throw new UsageException("no " + what + " in " + name);
    }
    return rows;
  }
}
