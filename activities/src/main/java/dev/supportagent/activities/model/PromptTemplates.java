package dev.supportagent.activities.model;

import dev.supportagent.workflows.retrieval.Passage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The versioned system prompts, resources named {@code prompts/<version>.txt}. Each holds a canary
 * token ({@code {{canary}}}), a value derived from the template itself, so output checks can tell a
 * reply that leaks the prompt; the same on every worker, never shown to customers.
 */
public final class PromptTemplates {

  public static final String DEFAULT_VERSION = "support-v1";
  private static final Pattern VERSION = Pattern.compile("[a-z0-9][a-z0-9.-]{0,40}");

  /** A loaded version. */
  public record Prompt(String version, String systemPrompt, String canary) {}

  private final Map<String, Prompt> prompts = new LinkedHashMap<>();

  /** Loads the given versions; throws IllegalArgumentException naming a version with no resource. */
  public PromptTemplates(List<String> versions) {
    for (String version : versions) {
      prompts.put(version, load(version));
    }
  }

  public Prompt get(String version) {
    Prompt prompt = prompts.get(version);
    if (prompt == null) {
      throw new IllegalArgumentException("prompt version " + version + " is not loaded");
    }
    return prompt;
  }

  static Prompt load(String version) {
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("bad prompt version \"" + version + "\"");
    }
    String resource = "/prompts/" + version + ".txt";
    try (InputStream in = PromptTemplates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no prompt template " + resource + " for version " + version);
      }
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      String canary = "canary-" + sha256(version + "\n" + template).substring(0, 16);
      return new Prompt(version, template.replace("{{canary}}", canary), canary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The customer's message as the model sees it: the numbered passages, then the question. The
   * numbers are what the model cites; {@link Citations} maps them back.
   */
  public static String userMessage(String question, List<Passage> passages) {
    StringBuilder m = new StringBuilder("Help centre passages:\n");
    for (int i = 0; i < passages.size(); i++) {
      Passage p = passages.get(i);
      m.append("\n[").append(i + 1).append("] ").append(p.title());
      if (p.section() != null && !p.section().isBlank()) {
        m.append(" > ").append(p.section());
      }
      m.append('\n').append(p.text().strip()).append('\n');
    }
    return m.append("\nCustomer question: ").append(question.strip()).toString();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
