package dev.supportagent.evaluation.guard;

import dev.supportagent.evaluation.dataset.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.EvalMain.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a JSONL guard dataset, {@code {id, text, label, source?}} with label {@code attack} or
 * {@code benign}; every unreadable row is reported with its line number. A row without a source
 * counts under {@code (none)}.
 */
public final class GuardDataset {

  public static final String NO_SOURCE = "(none)";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GuardDataset() {}

  public static List<GuardRow> read(Path file) {
    return JsonLines.read(file, "rows", GuardDataset::parse);
  }

  /** The project's near-miss support messages, shipped as training data beside the suite. */
  public static final String NEAR_MISSES_RESOURCE = "guard/support-near-misses.jsonl";

  /**
   * Extra benign training rows: {@code none} for none, a file, or (null) the shipped near-misses.
   */
  public static List<GuardRow> nearMisses(String option) {
    if ("none".equals(option)) {
      return List.of();
    }
    if (option != null) {
      return read(Path.of(option));
    }
    try (var in = GuardDataset.class.getClassLoader().getResourceAsStream(NEAR_MISSES_RESOURCE)) {
      if (in == null) {
        throw new UsageException("missing resource " + NEAR_MISSES_RESOURCE);
      }
      Path tmp = Files.createTempFile("near-misses", ".jsonl");
      try {
        Files.write(tmp, in.readAllBytes());
        return read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UsageException("cannot read " + NEAR_MISSES_RESOURCE + ": " + e.getMessage());
    }
  }

  static GuardRow parse(int line, JsonNode row) {
    if (!row.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String id = field(row, "id");
    JsonNode text = row.get("text");
    if (text == null || !text.isTextual()) {
      throw new IllegalArgumentException("missing field 'text'");
    }
    String label = field(row, "label");
    if (!label.equals("attack") && !label.equals("benign")) {
      throw new IllegalArgumentException("label must be attack or benign, got '" + label + "'");
    }
    JsonNode source = row.get("source");
    return new GuardRow(line, id, text.asText(), label.equals("attack"),
        source == null || source.isNull() || source.asText().isBlank() ? NO_SOURCE : source.asText());
  }

  private static String field(JsonNode row, String name) {
    JsonNode v = row.get(name);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return v.asText();
  }

  /** SHA-256 of the file, to record which data a classifier was trained on. */
  public static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
