package dev.supportagent.evaluation.answers;

import dev.supportagent.activities.embedding.Vectors;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.filter.GroundingScanner;
import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.filter.OutputGuardConfig;
import dev.supportagent.activities.filter.ScanAction;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.metrics.TextMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Scores one reply against its question: the behaviour against {@code expect}, and on {@code
 * answer} rows token F1 and embedding similarity against the reference answer (citation markers
 * taken out of the reply first), groundedness in
 * the cited documents (read from the corpus) and citation precision and recall against {@code
 * doc_ids}.
 */
public final class AnswerScorer {

  /** What came back for one question: a reply, or the error that stopped it. */
  public record Outcome(Reply reply, Double latencyMs, String error) {
    public static Outcome failed(String error) {
      return new Outcome(null, null, error);
    }
  }

  private static final Pattern MARKERS = Pattern.compile("\\s*\\[\\d+(?:\\s*,\\s*\\d+)*]");

  private final Path corpus;
  private final Supplier<EmbeddingModel> embeddings;
  private final GroundingScanner grounding;
  private final DocumentParser parser = new DocumentParser();
  private final Map<String, Optional<String>> documents = new ConcurrentHashMap<>();
  private final Set<String> outsideCorpus = ConcurrentHashMap.newKeySet();

  /** @param embeddings the embedding model, asked for only when a reference answer needs it */
  public AnswerScorer(Path corpus, Supplier<EmbeddingModel> embeddings) {
    this.corpus = corpus.toAbsolutePath().normalize();
    this.embeddings = embeddings;
    // the output guard's own sentence support, so the figure means what the guard's threshold means
    this.grounding =
        new GroundingScanner(ScanAction.ALLOW, 0, OutputGuardConfig.defaults().groundingMinSentenceSupport());
  }

  public AnswerRow score(Question q, Outcome outcome) {
    if (outcome.reply() == null) {
      return new AnswerRow(q.id(), q.expect(), Behaviour.ERROR, false, null, null, null, null, null, null,
          0, 0, 0, null, null, null, List.of(), outcome.error());
    }
    Reply reply = outcome.reply();
    Behaviour behaviour = Behaviour.of(reply);
    Double f1 = null;
    Double similarity = null;
    Double grounded = null;
    Double precision = null;
    Double recall = null;
    if ("answer".equals(q.expect())) {
      if (q.answer() != null && !q.answer().isBlank()) {
        String text = withoutMarkers(reply.text());
        f1 = TextMetrics.tokenF1(text, q.answer());
        similarity = similarity(text, q.answer());
      }
      grounded = groundedness(reply);
      precision = citationPrecision(reply.citations(), q.docIds());
      recall = citationRecall(reply.citations(), q.docIds());
    }
    return new AnswerRow(q.id(), q.expect(), behaviour, behaviour.label().equals(q.expect()), f1, similarity,
        grounded, precision, recall, outcome.latencyMs(), reply.tokensIn(), reply.tokensOut(), reply.costUsd(),
        reply.reason(), reply.model(), reply.text(), reply.citations(), null);
  }

  /** The reply without its citation markers ({@code [1]}, {@code [2, 3]}), which no reference has. */
  static String withoutMarkers(String text) {
    return MARKERS.matcher(text).replaceAll("").replaceAll(" +([.,;:!?])", "$1").strip();
  }

  /** Cited document ids that name no readable file of the corpus: a sign the stack used another KB. */
  public Set<String> citationsOutsideCorpus() {
    return Set.copyOf(outsideCorpus);
  }

  /** The share of distinct cited documents that are gold; null when nothing is cited. */
  public static Double citationPrecision(List<String> cited, List<String> gold) {
    Set<String> c = new HashSet<>(cited);
    if (c.isEmpty()) {
      return null;
    }
    Set<String> g = new HashSet<>(gold);
    return c.stream().filter(g::contains).count() / (double) c.size();
  }

  /** The share of gold documents cited; null when the question has no gold documents. */
  public static Double citationRecall(List<String> cited, List<String> gold) {
    Set<String> g = new HashSet<>(gold);
    if (g.isEmpty()) {
      return null;
    }
    Set<String> c = new HashSet<>(cited);
    return g.stream().filter(c::contains).count() / (double) g.size();
  }

  private double similarity(String reply, String reference) {
    if (reply.isBlank()) {
      return 0;
    }
    EmbeddingModel model = embeddings.get();
    return Vectors.cosine(model.embed(reply).content().vector(), model.embed(reference).content().vector());
  }

  /**
   * The share of the reply's sentences that the texts of the documents it cites support (the
   * output guard's grounding measure); null when it cites none that the corpus has.
   */
  private Double groundedness(Reply reply) {
    List<String> texts =
        reply.citations().stream().map(this::document).flatMap(Optional::stream).toList();
    if (texts.isEmpty()) {
      return null;
    }
    return grounding.scan(new OutputGuard.Input(reply.text(), null, texts, null, null), reply.text())
        .verdict().score();
  }

  private Optional<String> document(String id) {
    Optional<String> text = documents.computeIfAbsent(id, this::read);
    if (text.isEmpty()) {
      outsideCorpus.add(id);
    }
    return text;
  }

  private Optional<String> read(String id) {
    Path file = corpus.resolve(id).normalize();
    if (!file.startsWith(corpus) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parse(file, id));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
