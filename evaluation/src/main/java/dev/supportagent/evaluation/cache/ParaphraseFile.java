package dev.supportagent.evaluation.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a JSONL paraphrase file: {@code {id, q, q2, same, kind?, group?, note?}} a line. Every
 * unreadable row is reported with its line number.
 */
public final class ParaphraseFile {

  /** The set that ships with the evaluation, on the class path. */
  public static final String BUILT_IN = "/cache-paraphrases.jsonl";

  static final Set<String> KINDS = Set.of("surface", "close_paraphrase", "paraphrase", "hard_negative", "negative");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParaphraseFile() {}

  public static List<ParaphrasePair> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("paraphrase file not found: " + file);
    }
    try {
      return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  public static List<ParaphrasePair> readBuiltIn() {
    try (InputStream in = ParaphraseFile.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN + " is missing from the class path");
      }
      return parse(BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + BUILT_IN, e);
    }
  }

  static List<ParaphrasePair> parse(String name, List<String> lines) {
    List<ParaphrasePair> pairs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        ParaphrasePair pair = row(i + 1, JSON.readTree(line));
        if (!ids.add(pair.id())) {
          throw new IllegalArgumentException("duplicate id '" + pair.id() + "'");
        }
        pairs.add(pair);
      } catch (IOException | IllegalArgumentException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
        problems.add(name + ":" + (i + 1) + ": " + m);
      }
    }
    if (!problems.isEmpty()) {
      throw new UsageException(
          problems.size() + " unreadable row(s):\n  " + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
    }
    if (pairs.isEmpty()) {
      throw new UsageException("no pairs in " + name);
    }
    return pairs;
  }

  private static ParaphrasePair row(int line, JsonNode row) {
    if (!row.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode same = row.get("same");
    if (same == null || !same.isBoolean()) {
      throw new IllegalArgumentException("field 'same' must be true or false");
    }
    String kind = text(row, "kind", false);
    if (kind == null) {
      kind = same.asBoolean() ? "paraphrase" : "negative";
    } else if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be one of " + KINDS + ", got '" + kind + "'");
    }
    if (same.asBoolean() != (kind.equals("surface") || kind.endsWith("paraphrase"))) {
      throw new IllegalArgumentException("kind '" + kind + "' contradicts same: " + same.asBoolean());
    }
    String id = text(row, "id", true);
    String group = text(row, "group", false);
    return new ParaphrasePair(
        line, id, text(row, "q", true), text(row, "q2", true), same.asBoolean(), kind, group == null ? id : group);
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing field '" + field + "'");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }
}
