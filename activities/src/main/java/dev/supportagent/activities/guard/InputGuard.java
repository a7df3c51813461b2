package dev.supportagent.activities.guard;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import dev.supportagent.workflows.guard.ScanVerdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The input chain: shape limits on the raw message, normalisation, then the content scanners in
 * the configured order, each returning a {@link ScanVerdict}. The result's action is the
 * strictest verdict's (BLOCK over ESCALATE over REDACT over ALLOW; among equals, the first in
 * chain order), its reason that scanner's name (or the shape limit that failed).
 *
 * <ul>
 *   <li>With {@code stop_on_block}, the chain stops at the first BLOCK: a message stopped by a
 *       rule costs no embedding.
 *   <li>{@code off_topic} runs only while every verdict so far is ALLOW: a message that asks for a
 *       person, or is refused, is not also declined as off-topic.
 *   <li>The embedding is the one passed with the message (the turn's query embedding), else
 *       computed by the embedding model given to the builder, at most once, and only when a
 *       scanner needs it.
 *   <li>Two classifiers read it: the injection classifier ({@code prompt_injection}) and the
 *       harmful-request classifier ({@code harmful}).
 *   <li>The knowledge base's vocabulary ({@link KbVocabulary}, read from the supplier given to
 *       the builder for every message) discounts the injection scanner's topical evidence.
 * </ul>
 *
 * <p>Every verdict is counted in {@value #METRIC} with attributes {@code scanner}, {@code
 * action} and {@code stage=input}. Thread-safe.
 */
public final class InputGuard {

  public static final String METRIC = "support_guard_verdicts";
  static final AttributeKey<String> SCANNER = AttributeKey.stringKey("scanner");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("action");
  static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");

  private final InputGuardConfig config;
  private final ShapeScanner shape;
  private final Normaliser normaliser;
  private final List<InputScanner> scanners;
  private final AttackClassifier classifier;
  private final AttackClassifier harmfulClassifier;
  private final Function<String, float[]> embedder;
  private final Supplier<KbVocabulary> vocabulary;
  private final LongCounter verdicts;

  private InputGuard(Builder b, List<InputScanner> scanners, AttackClassifier classifier,
      AttackClassifier harmfulClassifier) {
    this.config = b.config;
    this.harmfulClassifier = harmfulClassifier;
    this.vocabulary = b.vocabulary;
    this.shape = new ShapeScanner(b.config.shape());
    this.normaliser = new Normaliser();
    this.scanners = List.copyOf(scanners);
    this.classifier = classifier;
    this.embedder = b.embedder;
    this.verdicts = counter(b.meter);
  }

  public static Builder builder(InputGuardConfig config) {
    return new Builder(config);
  }

  /** Checks a message, computing its embedding if a scanner needs it. */
  public InputCheckResult check(String raw) {
    return check(raw, null);
  }

  /**
   * Checks a message.
   *
   * @param embedding the message's embedding when the caller has it already (the turn's query
   *     embedding, of the normalised text), else null
   */
  public InputCheckResult check(String raw, float[] embedding) {
    ScanVerdict shaped = shape.scan(raw);
    if (shaped.action() != GuardAction.ALLOW) {
      count(shaped);
      return new InputCheckResult(GuardAction.BLOCK, "", shaped.reasons().get(0), 0, List.of(shaped));
    }
    Normaliser.Normalised normalised = normaliser.normalise(raw);
    if (normalised.text().isEmpty()) {
      ScanVerdict empty = ShapeScanner.block("empty");
      count(empty);
      return new InputCheckResult(GuardAction.BLOCK, "", "empty", 0, List.of(empty));
    }
    List<ScanVerdict> results = new ArrayList<>();
    results.add(shaped);
    count(shaped);
    ScanContext context = new ScanContext(raw, normalised, embedding, this::embed, classifier, vocabulary.get());
    GuardAction action = GuardAction.ALLOW;
    String reason = null;
    for (InputScanner scanner : scanners) {
      if (scanner.name().equals(OffTopicScanner.NAME) && action != GuardAction.ALLOW) {
        continue;
      }
      ScanVerdict verdict = scanner.scan(context);
      results.add(verdict);
      count(verdict);
      if (RuleScanner.rank(verdict.action()) > RuleScanner.rank(action)) {
        action = verdict.action();
        reason = verdict.scanner();
      }
      if (action == GuardAction.BLOCK && config.stopOnBlock()) {
        break;
      }
    }
    return new InputCheckResult(action, context.text(), reason, 0, results);
  }

  /** Whether a result refuses the message as an attack (a block that is not an off-topic decline). */
  public static boolean refused(InputCheckResult result) {
    return result.action() == GuardAction.BLOCK && !OffTopicScanner.NAME.equals(result.reason());
  }

  public List<String> scannerNames() {
    return scanners.stream().map(InputScanner::name).toList();
  }

  /** The injection classifier, or null. */
  public AttackClassifier classifier() {
    return classifier;
  }

  /** The harmful-request classifier, or null. */
  public AttackClassifier harmfulClassifier() {
    return harmfulClassifier;
  }

  public InputGuardConfig config() {
    return config;
  }

  private float[] embed(String text) {
    if (embedder == null) {
      throw new IllegalStateException("the input guard needs an embedding model or a precomputed embedding");
    }
    return embedder.apply(text);
  }

  private void count(ScanVerdict v) {
    if (verdicts != null) {
      verdicts.add(1, Attributes.of(SCANNER, v.scanner(), ACTION, v.action().name().toLowerCase(Locale.ROOT),
          STAGE, "input"));
    }
  }

  static LongCounter counter(Meter meter) {
    return meter == null
        ? null
        : meter.counterBuilder(METRIC)
            // word for word OutputGuard's: one instrument, registered by both
            .setDescription("Guard scanner verdicts, by scanner, action, whether it fired, and stage")
            .build();
  }

  /** Builds the chain from configuration; scanners added in code join it by name. */
  public static final class Builder {
    private final InputGuardConfig config;
    private final Map<String, InputScanner> extra = new LinkedHashMap<>();
    private Function<String, float[]> embedder;
    private AttackClassifier classifier;
    private boolean classifierSet;
    private AttackClassifier harmfulClassifier;
    private boolean harmfulSet;
    private Supplier<KbVocabulary> vocabulary = () -> KbVocabulary.EMPTY;
    private Meter meter;
    private TopicProfile topicProfile;

    private Builder(InputGuardConfig config) {
      this.config = config;
    }

    /** The shared embedding model, for messages that come without an embedding. */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embedder = model == null ? null : text -> model.embed(text).content().vector();
      return this;
    }

    public Builder embedder(Function<String, float[]> embedder) {
      this.embedder = embedder;
      return this;
    }

    /**
     * Replaces the injection classifier named in configuration (null: rules only). Unless {@link
     * #harmfulClassifier} is called too, the harmful scanner reads the same one.
     */
    public Builder classifier(AttackClassifier classifier) {
      this.classifier = classifier;
      this.classifierSet = true;
      return this;
    }

    /** Replaces the harmful-request classifier named in configuration (null: none). */
    public Builder harmfulClassifier(AttackClassifier classifier) {
      this.harmfulClassifier = classifier;
      this.harmfulSet = true;
      return this;
    }

    /** The knowledge base's vocabulary, read for every message (it may change with ingestion). */
    public Builder kbVocabulary(Supplier<KbVocabulary> vocabulary) {
      this.vocabulary = vocabulary == null ? () -> KbVocabulary.EMPTY : vocabulary;
      return this;
    }

    public Builder meter(Meter meter) {
      this.meter = meter;
      return this;
    }

    /** Turns on the off-topic scanner's distance test. */
    public Builder topicProfile(TopicProfile profile) {
      this.topicProfile = profile;
      return this;
    }

    /**
     * Adds a scanner (PII, for instance). It runs where configuration's {@code order} names it;
     * when not named there, first, before the built-in scanners.
     */
    public Builder addScanner(InputScanner scanner) {
      if (InputGuardConfig.BUILT_IN.contains(scanner.name()) || extra.containsKey(scanner.name())) {
        throw new IllegalArgumentException("a scanner named " + scanner.name() + " is already in the chain");
      }
      extra.put(scanner.name(), scanner);
      return this;
    }

    /** @throws IllegalArgumentException when {@code order} names a scanner that does not exist */
    public InputGuard build() {
      AttackClassifier c = classifierSet ? classifier : load(config.classifier());
      if (c != null && !Double.isNaN(config.classifierThreshold())) {
        c = c.withThreshold(config.classifierThreshold());
      }
      AttackClassifier h = harmfulSet ? harmfulClassifier : classifierSet ? null : load(config.harmfulClassifier());
      if (h != null && !Double.isNaN(config.harmfulThreshold())) {
        h = h.withThreshold(config.harmfulThreshold());
      }
      List<InputScanner> chain = new ArrayList<>();
      for (Map.Entry<String, InputScanner> e : extra.entrySet()) {
        if (!config.order().contains(e.getKey())) {
          chain.add(e.getValue());
        }
      }
      List<String> unknown = new ArrayList<>();
      for (String name : config.order()) {
        InputScanner s = create(name, c, h);
        if (s == null) {
          unknown.add(name);
        } else {
          chain.add(s);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid input guard configuration:\n  order (" + InputGuardConfig.variable("order")
                + "): unknown scanner(s) " + String.join(", ", unknown) + " (known: "
                + String.join(", ", known()) + ")");
      }
      return new InputGuard(this, chain, c, h);
    }

    private List<String> known() {
      List<String> names = new ArrayList<>(List.of("prompt_injection", "harmful", "abuse", "human_request", "off_topic"));
      names.addAll(extra.keySet());
      return names;
    }

    private InputScanner create(String name, AttackClassifier c, AttackClassifier h) {
      return switch (name) {
        case "prompt_injection" -> new RuleScanner(name, GuardRules.INJECTION, config.injectionAction(), Map.of(),
            c, config.injectionWeakRuleThreshold(), c == null ? RuleScanner.NONE : c.threshold(), config.kbDiscount());
        // without a harmful classifier of its own, the weak rules read the injection classifier (as
        // a single classifier did before), and nothing blocks on a score alone
        case "harmful" -> h == null
            ? new RuleScanner(name, GuardRules.HARMFUL, config.harmfulAction(), Map.of("self_harm", config.selfHarmAction()),
                c, config.harmfulWeakRuleThreshold(), RuleScanner.NONE, null)
            : new RuleScanner(name, GuardRules.HARMFUL, config.harmfulAction(), Map.of("self_harm", config.selfHarmAction()),
                h, config.harmfulWeakRuleThreshold(), h.threshold(), null);
        case "abuse" -> new RuleScanner(name, GuardRules.ABUSE, config.abuseAction());
        case "human_request" -> new RuleScanner(name, GuardRules.HUMAN_REQUEST, config.humanRequestAction());
        case "off_topic" -> new OffTopicScanner(config.offTopicAction(),
            topicProfile == null ? null : new TopicProfile(topicProfile.centroid(), config.offTopicMinSimilarity()));
        default -> extra.get(name);
      };
    }

    private static AttackClassifier load(String classifier) {
      if (classifier == null) {
        return null;
      }
      Path file = Path.of(classifier);
      return Files.isRegularFile(file)
          ? AttackClassifier.fromFile(file)
          : AttackClassifier.fromResource(classifier);
    }
  }
}
