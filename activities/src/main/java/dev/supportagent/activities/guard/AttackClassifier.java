package dev.supportagent.activities.guard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Logistic regression, or a one-hidden-layer perceptron, over a message's sentence embedding
 * (all-MiniLM-L6-v2, 384 dimensions): the probability that the message is an attack of one kind. The chain has two: the injection
 * classifier (prompt injection, jailbreak) and the harmful-request classifier.
 * Weights are a small JSON resource written by {@code deploy/local/eval train-guard}, which also
 * records where its training data came from.
 *
 * @param weights one per embedding dimension
 * @param bias the intercept
 * @param threshold the probability from which a message is taken for an attack
 * @param provenance what it was trained on (dataset, rows per source, licences), kept as written
 * @param hidden null for a logistic regression ({@code weights} then has one per dimension); else
 *     the hidden ReLU layer's input weights, one row per unit ({@code weights} then has one per unit)
 * @param hiddenBias one per hidden unit, or null
 * @param features null when the classifier reads the embedding alone; {@link #HARM_FEATURES} when
 *     it reads the embedding followed by the message's {@link HarmFeatures}
 */
public record AttackClassifier(float[] weights, double bias, double threshold, JsonNode provenance,
    float[][] hidden, float[] hiddenBias, String features) {

  public static final String FORMAT = "support-agent/attack-classifier-v1";
  /**
   * The format of a classifier with a hidden layer or wording features (older readers would
   * ignore them).
   */
  public static final String FORMAT_MLP = "support-agent/attack-classifier-v2";
  public static final String DEFAULT_RESOURCE = "guard/injection-classifier.json";
  public static final String HARMFUL_RESOURCE = "guard/harmful-classifier.json";
  public static final String EMBEDDING_MODEL = "all-MiniLM-L6-v2";
  /** The message's wording features ({@link HarmFeatures}) read after the embedding. */
  public static final String HARM_FEATURES = "harm-features-v1";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public AttackClassifier {
    if (weights == null || weights.length == 0) {
      throw new IllegalArgumentException("classifier has no weights");
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("classifier threshold must be between 0 and 1, got " + threshold);
    }
    if ((hidden == null) != (hiddenBias == null)
        || hidden != null && (hidden.length != weights.length || hiddenBias.length != weights.length
            || java.util.Arrays.stream(hidden).anyMatch(r -> r == null || r.length != hidden[0].length))) {
      throw new IllegalArgumentException("hidden layer does not match the output weights");
    }
    if (features != null && !features.equals(HARM_FEATURES)) {
      throw new IllegalArgumentException("unknown classifier features " + features);
    }
  }

  /** A logistic regression over the embedding alone. */
  public AttackClassifier(float[] weights, double bias, double threshold, JsonNode provenance) {
    this(weights, bias, threshold, provenance, null, null, null);
  }

  /** The embedding's dimensions. */
  public int dimensions() {
    return inputs() - (features == null ? 0 : HarmFeatures.NAMES.size());
  }

  /** The model's inputs: the embedding's dimensions and any wording features. */
  private int inputs() {
    return hidden == null ? weights.length : hidden[0].length;
  }

  /**
   * The attack probability for a message's embedding of {@link #dimensions()} values and its
   * (normalised) text, which a classifier with {@link #features()} reads too.
   */
  public double score(float[] embedding, String text) {
    if (features == null) {
      return score(embedding);
    }
    if (embedding.length != dimensions()) {
      throw new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the classifier " + dimensions());
    }
    float[] x = HarmFeatures.append(embedding, text);
    return hidden != null ? mlpScore(hidden, hiddenBias, weights, bias, x) : linear(x);
  }

  /** The probability of a one-hidden-layer ReLU perceptron with a sigmoid output. */
  static double mlpScore(float[][] hidden, float[] hiddenBias, float[] weights, double bias, float[] x) {
    double z = bias;
    for (int j = 0; j < hidden.length; j++) {
      float[] wj = hidden[j];
      double a = hiddenBias[j];
      for (int i = 0; i < wj.length; i++) {
        a += wj[i] * x[i];
      }
      if (a > 0) {
        z += weights[j] * a;
      }
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** The probability for the model's inputs as assembled: the embedding, then any wording features. */
  public double scoreInputs(float[] inputs) {
    if (inputs.length != inputs()) {
      throw new IllegalArgumentException("expected " + inputs() + " inputs, got " + inputs.length);
    }
    return hidden != null ? mlpScore(hidden, hiddenBias, weights, bias, inputs) : linear(inputs);
  }

  /**
   * The attack probability for an embedding of {@link #dimensions()} values, for a classifier
   * without wording features.
   */
  public double score(float[] embedding) {
    if (features != null) {
      throw new IllegalStateException("this classifier reads the message's text too: score(embedding, text)");
    }
    if (embedding.length != dimensions()) {
      throw new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the classifier " + dimensions());
    }
    if (hidden != null) {
      return mlpScore(hidden, hiddenBias, weights, bias, embedding);
    }
    return linear(embedding);
  }

  private double linear(float[] x) {
    double z = bias;
    for (int i = 0; i < weights.length; i++) {
      z += weights[i] * x[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  public AttackClassifier withThreshold(double t) {
    return new AttackClassifier(weights, bias, t, provenance, hidden, hiddenBias, features);
  }

  /** The classifier shipped in the activities jar. */
  public static AttackClassifier fromResource(String resource) {
    try (InputStream in = AttackClassifier.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("classifier resource not found: " + resource);
      }
      return read(MAPPER.readTree(in), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classifier " + resource, e);
    }
  }

  public static AttackClassifier fromFile(Path file) {
    try {
      return read(MAPPER.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classifier " + file, e);
    }
  }

  private static AttackClassifier read(JsonNode root, String where) {
    File f = MAPPER.convertValue(root, File.class);
    boolean plain = f.hidden == null && f.features == null;
    if (!(FORMAT.equals(f.format) && plain || FORMAT_MLP.equals(f.format) && !plain)) {
      throw new IllegalArgumentException(where + ": not a " + FORMAT + " (or, with a hidden layer, " + FORMAT_MLP
          + ") file");
    }
    int inputs = f.dimensions + (f.features == null ? 0 : HarmFeatures.NAMES.size());
    if (f.hidden != null) {
      if (f.weights == null || f.hidden.length != f.weights.length
          || java.util.Arrays.stream(f.hidden).anyMatch(r -> r == null || r.length != inputs)) {
        throw new IllegalArgumentException(where + ": expected " + inputs + " input weights per hidden unit");
      }
    } else if (f.weights == null || f.weights.length != inputs) {
      throw new IllegalArgumentException(where + ": expected " + inputs + " weights");
    }
    return new AttackClassifier(f.weights, f.bias, f.threshold, f.provenance, f.hidden, f.hiddenBias, f.features);
  }

  public void write(Path file) throws IOException {
    File f = new File();
    f.format = hidden == null && features == null ? FORMAT : FORMAT_MLP;
    f.features = features;
    f.embeddingModel = EMBEDDING_MODEL;
    f.dimensions = dimensions();
    f.hidden = hidden;
    f.hiddenBias = hiddenBias;
    f.threshold = threshold;
    f.bias = bias;
    f.provenance = provenance;
    f.weights = weights;
    Files.createDirectories(file.toAbsolutePath().getParent());
    MAPPER.writeValue(file.toFile(), f);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class File {
    public String format;
    @JsonProperty("embedding_model")
    public String embeddingModel;
    public int dimensions;
    /** {@link #HARM_FEATURES} when the wording features follow the embedding's dimensions. */
    public String features;
    public double threshold;
    public double bias;
    public JsonNode provenance;
    public float[] weights;
    @JsonProperty("hidden_bias")
    public float[] hiddenBias;
    /** Input weights of the hidden layer, one row per unit; absent for a logistic regression. */
    public float[][] hidden;
  }
}
