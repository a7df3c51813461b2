package dev.supportagent.evaluation.answers;

import dev.supportagent.activities.embedding.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.model.OfflineAnswerer;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The baseline every {@code answers --in-process} report shows beside the offline answerer: the
 * two sentences most similar to the question (cosine of their embeddings) among those of the top
 * three passages, most similar first, each cited. Sentences are split plainly, at line breaks and
 * after a full stop, question or exclamation mark, with Markdown markers taken out and nothing
 * else filtered. It declines when retrieval found nothing relevant, as the offline answerer does.
 */
final class NaiveAnswerer implements InProcessTurns.Answerer {

  static final String NAME = "naive";
  static final int PASSAGES = 3;
  static final int SENTENCES = 2;

  private static final Pattern SPLIT = Pattern.compile("\\n+|(?<=[.!?])\\s+");
  private static final Pattern MARKDOWN = Pattern.compile("^\\s*(?:#+|[-*+]|\\d{1,3}\\.|\\|)\\s*|\\*\\*|__|`");

  private record Scored(int passage, String sentence, double similarity) {}

  private final EmbeddingModel embeddings;

  NaiveAnswerer(EmbeddingModel embeddings) {
    this.embeddings = embeddings;
  }

  @Override
  public GeneratedAnswer answer(
      String question, List<HistoryMessage> earlier, List<Passage> passages, boolean relevant) {
    List<Passage> top = passages.subList(0, Math.min(PASSAGES, passages.size()));
    List<Scored> sentences = new ArrayList<>();
    for (int p = 0; p < top.size(); p++) {
      for (String s : SPLIT.split(top.get(p).text())) {
        String plain = MARKDOWN.matcher(s).replaceAll("").strip();
        if (plain.chars().anyMatch(Character::isLetter)) {
          sentences.add(new Scored(p, plain, 0));
        }
      }
    }
    if (!relevant || sentences.isEmpty()) {
      return new GeneratedAnswer(OfflineAnswerer.DECLINE_TEXT, List.of(), true, NAME, OfflineAnswerer.TIER,
          NAME, 0, 0, 0, 0);
    }
    float[] q = embeddings.embed(question).content().vector();
    List<Embedding> vectors =
        embeddings.embedAll(sentences.stream().map(s -> TextSegment.from(s.sentence())).toList()).content();
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      Scored s = sentences.get(i);
      scored.add(new Scored(s.passage(), s.sentence(), Vectors.cosine(q, vectors.get(i).vector())));
    }
    scored.sort(Comparator.comparingDouble(Scored::similarity).reversed());
    Map<String, Integer> numbers = new LinkedHashMap<>();
    List<Citation> citations = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Scored s : scored.subList(0, Math.min(SENTENCES, scored.size()))) {
      Passage p = top.get(s.passage());
      Integer n = numbers.get(p.documentId());
      if (n == null) {
        n = numbers.size() + 1;
        numbers.put(p.documentId(), n);
        citations.add(new Citation(p.documentId(), p.title(), p.url(), p.section()));
      }
      text.append(text.length() == 0 ? "" : " ").append(s.sentence()).append(" [").append(n).append(']');
    }
    return new GeneratedAnswer(text.toString(), citations, false, NAME, OfflineAnswerer.TIER, NAME, 0, 0, 0, 0);
  }
}
