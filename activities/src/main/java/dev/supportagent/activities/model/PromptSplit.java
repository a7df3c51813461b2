package dev.supportagent.activities.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * An A/B split of prompt versions, sticky by conversation: {@code SUPPORT_PROMPT_VERSIONS} lists
 * {@code version:weight} pairs ({@code support-v1:90,support-v2:10}); a conversation always gets
 * the same version, chosen by a hash of its id, so its turns are comparable.
 */
public final class PromptSplit {

  /** One arm of the split. */
  public record Arm(String version, int weight) {}

  private final List<Arm> arms;
  private final int total;

  public PromptSplit(List<Arm> arms) {
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("a prompt split needs at least one version");
    }
    this.arms = List.copyOf(arms);
    this.total = arms.stream().mapToInt(Arm::weight).sum();
  }

  /** Parses {@code v1:90,v2:10} (a version without a weight weighs 1). */
  public static PromptSplit parse(String spec) {
    List<Arm> arms = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty entry in \"" + spec + "\"");
      }
      int colon = p.lastIndexOf(':');
      String version = colon < 0 ? p : p.substring(0, colon).strip();
      int weight;
      try {
        weight = colon < 0 ? 1 : Integer.parseInt(p.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + p + "\": the weight must be a whole number");
      }
      if (weight < 0 || weight > 1000) {
        throw new IllegalArgumentException("\"" + p + "\": the weight must be 0 to 1000");
      }
      if (arms.stream().anyMatch(a -> a.version().equals(version))) {
        throw new IllegalArgumentException("\"" + version + "\" is listed twice");
      }
      arms.add(new Arm(version, weight));
    }
    if (arms.stream().mapToInt(Arm::weight).sum() == 0) {
      throw new IllegalArgumentException("\"" + spec + "\": the weights add up to 0");
    }
    return new PromptSplit(arms);
  }

  public List<String> versions() {
    return arms.stream().map(Arm::version).toList();
  }

  /** The version for a conversation: the same for every turn of it. */
  public String versionFor(String conversationId) {
    int point = bucket(conversationId, total);
    for (Arm arm : arms) {
      point -= arm.weight();
      if (point < 0) {
        return arm.version();
      }
    }
    return arms.get(arms.size() - 1).version();
  }

  static int bucket(String key, int buckets) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return (int) (v % buckets);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
