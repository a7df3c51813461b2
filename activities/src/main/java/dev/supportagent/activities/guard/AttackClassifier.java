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
 * Logistic regression over a message's sentence embedding (all-MiniLM-L6-v2, 384 dimensions):
 * the probability that the message is an attack of one kind. The chain has two: the injection
 * classifier (prompt injection, jailbreak) and the harmful-request classifier.
 * Weights are a small JSON resource written by {@code deploy/local/eval train-guard}, which also
 * records where its training data came from.
 *
 * @param weights one per embedding dimension
 * @param bias the intercept
 * @param threshold the probability from which a message is taken for an attack
 * @param provenance what it was trained on (dataset, rows per source, licences), kept as written
 */
public record AttackClassifier(float[] weights, double bias, double threshold, JsonNode provenance) {

  public static final String FORMAT = "support-agent/attack-classifier-v1";
  public static final String DEFAULT_RESOURCE = "guard/injection-classifier.json";
  public static final String HARMFUL_RESOURCE = "guard/harmful-classifier.json";
  public static final String EMBEDDING_MODEL = "all-MiniLM-L6-v2";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public AttackClassifier {
    if (weights == null || weights.length == 0) {
      throw new IllegalArgumentException("classifier has no weights");
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("classifier threshold must be between 0 and 1, got " + threshold);
    }
  }

  public int dimensions() {
    return weights.length;
  }

  /** The attack probability for an embedding of {@link #dimensions()} values. */
  public double score(float[] embedding) {
    if (embedding.length != weights.length) {
      throw new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the classifier " + weights.length);
    }
    double z = bias;
    for (int i = 0; i < weights.length; i++) {
      z += weights[i] * embedding[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  public AttackClassifier withThreshold(double t) {
    return new AttackClassifier(weights, bias, t, provenance);
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
    if (!FORMAT.equals(f.format)) {
      throw new IllegalArgumentException(where + ": not a " + FORMAT + " file");
    }
    if (f.weights == null || f.weights.length != f.dimensions) {
      throw new IllegalArgumentException(where + ": expected " + f.dimensions + " weights");
    }
    return new AttackClassifier(f.weights, f.bias, f.threshold, f.provenance);
  }

  public void write(Path file) throws IOException {
    File f = new File();
    f.format = FORMAT;
    f.embeddingModel = EMBEDDING_MODEL;
    f.dimensions = weights.length;
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
    public double threshold;
    public double bias;
    public JsonNode provenance;
    public float[] weights;
  }
}
