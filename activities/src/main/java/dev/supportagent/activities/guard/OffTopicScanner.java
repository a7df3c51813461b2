package dev.supportagent.activities.guard;

import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.List;

/**
 * Requests that are not support questions. Rules catch the plain cases (write me a poem, tell me
 * a joke, solve this equation); with a {@link TopicProfile} (the centroid of the knowledge base's
 * embeddings), a message whose embedding is farther than the profile's threshold from it is
 * off-topic too. Off-topic is not an attack: its action declines politely (the reply is {@code
 * SafeReplies.OFF_TOPIC}) and the guard suite does not count it as a block.
 */
public final class OffTopicScanner implements InputScanner {

  public static final String NAME = "off_topic";

  private final RuleScanner rules;
  private final GuardAction action;
  private final TopicProfile profile;

  public OffTopicScanner(GuardAction action, TopicProfile profile) {
    this.rules = new RuleScanner(NAME, GuardRules.OFF_TOPIC, action);
    this.action = action;
    this.profile = profile;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ScanVerdict scan(ScanContext context) {
    ScanVerdict byRule = rules.scan(context);
    if (byRule.action() != GuardAction.ALLOW || profile == null) {
      return byRule;
    }
    double similarity = profile.similarity(context.embedding());
    double score = Math.round(Math.max(0, 1 - similarity) * 10_000) / 10_000.0;
    if (similarity < profile.minSimilarity()) {
      return new ScanVerdict(NAME, action, score, List.of("topic_distance"));
    }
    return new ScanVerdict(NAME, GuardAction.ALLOW, score, List.of());
  }
}
