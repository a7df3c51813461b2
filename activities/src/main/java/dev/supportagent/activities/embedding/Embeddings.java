package dev.supportagent.activities.embedding;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.time.Duration;

/**
 * The two in-process embedding models, both all-MiniLM-L6-v2 (384 dimensions, the same vector
 * space), and which text each embeds.
 *
 * <ul>
 *   <li><b>Documents</b> (chunks at ingestion): the full-precision model. Ingestion is a batch job,
 *       its vectors are kept for as long as the chunk, and its time is not in any customer's way.
 *   <li><b>Queries</b> (a customer's message, on the turn's path: the input guard's classifier and
 *       off-topic test, retrieval's kNN query, the answer cache): the same model with int8-quantized
 *       weights, about a third faster on a CPU. Its vectors are within a cosine of 0.985 to 0.995 of
 *       the full model's for the same text, so they search the full model's index as they are;
 *       docs/results.md gives retrieval, guard and cache figures measured with this split.
 * </ul>
 *
 * Each call loads a model (an ONNX session, tens of MB): a process builds each once and shares it.
 *
 * <p>With {@code SUPPORT_EMBEDDINGS} naming a remote model ({@link EmbeddingConfig}), that model
 * embeds both documents and retrieval queries (there is no quantized twin of it), over OpenAI's
 * {@code /v1/embeddings}. Its client never retries: Temporal retries the ingestion step (5 attempts)
 * and the retrieval activity (3 attempts) that call it.
 */
public final class Embeddings {

  /**
   * A batch of chunks (at most {@code DocumentIndexer.EMBED_BATCH}) within an ingestion step's
   * 5-minute timeout.
   */
  public static final Duration DOCUMENTS_TIMEOUT = Duration.ofSeconds(60);
  /** One query within the retrieval activity's 10-second timeout, leaving time for the search. */
  public static final Duration QUERIES_TIMEOUT = Duration.ofSeconds(5);

  private Embeddings() {}

  /** The model for knowledge-base chunks. */
  public static EmbeddingModel documents() {
    return new AllMiniLmL6V2EmbeddingModel();
  }

  /** The model for customers' messages and other texts embedded on a turn's path. */
  public static EmbeddingModel queries() {
    return new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** The configured model for knowledge-base chunks: {@link #documents()} when local. */
  public static EmbeddingModel documents(EmbeddingConfig config) {
    return config.local() ? documents() : remote(config, DOCUMENTS_TIMEOUT);
  }

  /**
   * The configured model for retrieval queries: {@link #queries()} when local, else the same remote
   * model as the documents'.
   */
  public static EmbeddingModel queries(EmbeddingConfig config) {
    return config.local() ? queries() : remote(config, QUERIES_TIMEOUT);
  }

  /** An OpenAI-compatible {@code /v1/embeddings} client that makes one request per call. */
  static EmbeddingModel remote(EmbeddingConfig config, Duration timeout) {
    return OpenAiEmbeddingModel.builder()
        .httpClientBuilder(JdkHttpClient.builder())
        .baseUrl(config.effectiveBaseUrl())
        // null for a server without keys: no Authorization header
        .apiKey(config.apiKey())
        .modelName(config.model())
        .timeout(timeout)
        .maxRetries(0)
        .build();
  }
}
