package dev.supportagent.activities.ingest;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The embedding model's own WordPiece tokenizer (all-MiniLM-L6-v2's {@code tokenizer.json}, shipped
 * in langchain4j's model jar), so chunk sizes are counted in the tokens the model sees. Loaded once
 * per process; thread-safe (the native tokenizer is).
 */
public final class ModelTokenizer {

  private static final String RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private static volatile ModelTokenizer shared;

  private final HuggingFaceTokenizer tokenizer;

  private ModelTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The process-wide instance. */
  public static ModelTokenizer shared() {
    ModelTokenizer instance = shared;
    if (instance == null) {
      synchronized (ModelTokenizer.class) {
        if (shared == null) {
          shared = load();
        }
        instance = shared;
      }
    }
    return instance;
  }

  private static ModelTokenizer load() {
    try (InputStream json = ModelTokenizer.class.getResourceAsStream(RESOURCE)) {
      if (json == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      // the file pads and truncates to 128 for the model's input; counting needs neither
      Map<String, String> options =
          Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false");
      return new ModelTokenizer(HuggingFaceTokenizer.newInstance(json, options));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + RESOURCE, e);
    }
  }

  /** Tokens in {@code text}, without the [CLS] and [SEP] the model adds. */
  public int count(String text) {
    return text.isEmpty() ? 0 : tokenizer.encode(text, false, false).getIds().length;
  }

  /** The character offset in {@code text} where each token starts, in order. */
  public int[] tokenStarts(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    Encoding encoding = tokenizer.encode(text, false, false);
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] starts = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = spans[i] == null ? (i == 0 ? 0 : starts[i - 1]) : spans[i].getStart();
    }
    return starts;
  }
}
