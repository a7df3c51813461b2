package dev.supportagent.activities.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

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
 */
public final class Embeddings {

  private Embeddings() {}

  /** The model for knowledge-base chunks. */
  public static EmbeddingModel documents() {
    return new AllMiniLmL6V2EmbeddingModel();
  }

  /** The model for customers' messages and other texts embedded on a turn's path. */
  public static EmbeddingModel queries() {
    return new AllMiniLmL6V2QuantizedEmbeddingModel();
  }
}
