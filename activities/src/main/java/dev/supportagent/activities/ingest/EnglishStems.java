package dev.supportagent.activities.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * English analysis done in Java, because this Elasticsearch distribution has no language
 * analysers: Lucene's {@link EnglishAnalyzer} (standard tokenizer, possessives removed, lower
 * case, English stop words removed, Porter stemmer). Chunks are indexed with their stems in the
 * {@code *_stems} fields, which Elasticsearch splits on white space only, and queries are stemmed
 * the same way, so "refunded" finds "refunds" and "charging" finds "charged".
 *
 * <p>The index and the queries must agree: a change here is a change of {@link
 * KnowledgeBaseIndexer#PIPELINE_VERSION}.
 */
public final class EnglishStems {

  /** Thread-safe: an analyzer keeps one token stream per thread. */
  private static final Analyzer ANALYZER = new EnglishAnalyzer();

  private EnglishStems() {}

  /** The stems of {@code text}, in order, separated by single spaces; empty for null or blank. */
  public static String of(String text) {
    return String.join(" ", terms(text));
  }

  /** The stems of {@code text}, in order. */
  public static List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return terms;
    }
    try (TokenStream stream = ANALYZER.tokenStream("", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      // a StringReader does not fail
      throw new UncheckedIOException(e);
    }
    return terms;
  }
}
