package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.filter.OutputGuardConfig;
import dev.supportagent.activities.ingest.Chunk;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.model.PromptTemplates;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.guard.ScanVerdict;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bench output-guard}: times the output guard's whole chain (grounding included) per reply,
 * over replies built from a knowledge base's passages the way answers are: five retrieved
 * passages, two to four of their sentences with citation markers, and now and then an unsupported
 * sentence, an invalid marker, the customer's own e-mail address or one they did not give. Reports
 * p50, p95 and max after a warm-up, in wall time and in the thread's CPU time (which other load on
 * the machine moves less), each scanner alone in CPU time, each scanner's share of fired verdicts, and, for comparison,
 * the time to embed a reply's sentences in process (what grounding by embeddings would add at
 * least). Needs nothing running.
 */
public final class OutputGuardBench {

  static final int PASSAGES_PER_REPLY = 5;

  private final Path corpus;
  private final int replies;
  private final int warmup;
  private final int embeddingSample;
  private final long seed;

  OutputGuardBench(Path corpus, int replies, int warmup, int embeddingSample, long seed) {
    this.corpus = corpus;
    this.replies = replies;
    this.warmup = warmup;
    this.embeddingSample = embeddingSample;
    this.seed = seed;
  }

  public static OutputGuardBench fromArgs(String[] args, Map<String, String> env) {
    Options options = Options.parse(args, Set.of("--corpus", "--replies", "--warmup", "--embedding-sample", "--seed"));
    Path corpus = options.path("--corpus", Path.of("deploy/local/sample-kb"));
    if (!Files.isDirectory(corpus)) {
      throw new UsageException("corpus folder not found: " + corpus);
    }
    return new OutputGuardBench(
        corpus,
        options.integer("--replies", 2000, 1),
        options.integer("--warmup", 500, 0),
        options.integer("--embedding-sample", 200, 0),
        options.integer("--seed", 7, 0));
  }

  /** A reply and what the guard is given with it. */
  record Case(OutputGuard.Input input, List<String> sentences) {}

  public ObjectNode run() throws IOException {
    List<String> passages = passages(corpus);
    if (passages.size() < PASSAGES_PER_REPLY) {
      throw new UsageException("the corpus has too few passages: " + passages.size());
    }
    PromptTemplates.Prompt prompt =
        new PromptTemplates(List.of(PromptTemplates.DEFAULT_VERSION)).get(PromptTemplates.DEFAULT_VERSION);
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < warmup + replies; i++) {
      cases.add(build(passages, prompt, random));
    }
    OutputGuardConfig config = OutputGuardConfig.defaults();
    OutputGuard guard = new OutputGuard(config, MeterProvider.noop().get("bench"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> latency = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> grounding = new ArrayList<>();
    Map<String, Integer> fired = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      OutputGuard.Outcome outcome = guard.check(cases.get(i).input());
      double ms = (System.nanoTime() - start) / 1e6;
      double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      if (i < warmup) {
        continue;
      }
      latency.add(ms);
      cpu.add(cpuMs);
      if (outcome.groundingScore() != null) {
        grounding.add(outcome.groundingScore());
      }
      for (ScanVerdict v : outcome.verdicts()) {
        if (!v.reasons().isEmpty()) {
          fired.merge(v.scanner(), 1, Integer::sum);
        }
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("replies", replies);
    out.put("warmup", warmup);
    out.put("passages_in_corpus", passages.size());
    out.put("passages_per_reply", PASSAGES_PER_REPLY);
    out.put("mean_reply_chars", Stats.round(cases.stream().mapToInt(c -> c.input().reply().length()).average().orElse(0), 0));
    out.set("latency_ms", latencyNode(latency));
    out.set("cpu_ms", latencyNode(cpu));
    out.set("by_scanner_cpu_ms", byScanner(config, cases));
    out.put("load_average", Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
    out.put("mean_grounding_score", Stats.round(Stats.mean(grounding), 3));
    ObjectNode firedNode = out.putObject("fired_share");
    fired.forEach((scanner, n) -> firedNode.put(scanner, Stats.round(n / (double) replies, 3)));
    if (embeddingSample > 0) {
      out.set("embedding_sentences_ms", embeddingBaseline(cases.subList(warmup, warmup + Math.min(embeddingSample, replies))));
    }
    return out;
  }

  /** Each scanner alone, as a chain of one, over the same replies: thread CPU time per reply. */
  private ObjectNode byScanner(OutputGuardConfig config, List<Case> cases) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (String scanner : config.scanners()) {
      OutputGuardConfig one =
          new OutputGuardConfig(
              List.of(scanner), config.safeAnswer(), config.escalateAnswer(), config.promptLeakAction(),
              config.promptLeakNgramWords(), config.harmfulOutputAction(), config.piiLeakAction(), config.piiLeakTypes(),
              config.citationsAction(), config.groundingAction(), config.groundingMinScore(),
              config.groundingMinSentenceSupport(), config.lengthAction(), config.lengthMaxChars());
      OutputGuard guard = new OutputGuard(one, MeterProvider.noop().get("bench"));
      List<Double> cpu = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        long start = threads.getCurrentThreadCpuTime();
        guard.check(cases.get(i).input());
        if (i >= warmup) {
          cpu.add((threads.getCurrentThreadCpuTime() - start) / 1e6);
        }
      }
      node.set(scanner, latencyNode(cpu));
    }
    return node;
  }

  private static ObjectNode latencyNode(List<Double> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("p50", Stats.round(Stats.percentile(values, 0.50), 3));
    node.put("p95", Stats.round(Stats.percentile(values, 0.95), 3));
    node.put("max", Stats.round(Stats.percentile(values, 1.0), 3));
    return node;
  }

  /** Time to embed each reply's sentences with all-MiniLM-L6-v2 in process, per reply. */
  private static ObjectNode embeddingBaseline(List<Case> sample) {
    System.err.println("embedding the sentences of " + sample.size() + " replies for comparison ...");
    EmbeddingModel model = Embeddings.documents();
    model.embed("warm up");
    List<Double> latency = new ArrayList<>();
    for (Case c : sample) {
      List<TextSegment> segments = c.sentences().stream().map(TextSegment::from).toList();
      long start = System.nanoTime();
      model.embedAll(segments);
      latency.add((System.nanoTime() - start) / 1e6);
    }
    ObjectNode node = latencyNode(latency);
    node.put("replies", sample.size());
    return node;
  }

  static Case build(List<String> passages, PromptTemplates.Prompt prompt, Random random) {
    List<String> retrieved = new ArrayList<>();
    while (retrieved.size() < PASSAGES_PER_REPLY) {
      String p = passages.get(random.nextInt(passages.size()));
      if (!retrieved.contains(p)) {
        retrieved.add(p);
      }
    }
    List<String> sentences = new ArrayList<>();
    StringBuilder reply = new StringBuilder();
    int count = 2 + random.nextInt(3);
    for (int s = 0; s < count; s++) {
      int n = random.nextInt(PASSAGES_PER_REPLY);
      List<String> candidates = sentencesOf(retrieved.get(n));
      String sentence = candidates.get(random.nextInt(candidates.size()));
      sentences.add(sentence);
      reply.append(sentence).append(" [").append(n + 1).append("] ");
    }
    String customer = "Hi, I'm Lena Andersson (lena.andersson@example.com, +1 415-555-0132). Can you help?";
    int twist = random.nextInt(10);
    if (twist == 0) {
      reply.append("We have also noted your new shipping address in Denver for the replacement. ");
    } else if (twist == 1) {
      reply.append("We will confirm by e-mail to lena.andersson@example.com. ");
    } else if (twist == 2) {
      reply.append("Our colleague tom.baker@example.net will follow up. ");
    } else if (twist == 3) {
      reply.append("See the details [9]. ");
    }
    return new Case(
        new OutputGuard.Input(reply.toString().strip(), List.of(customer), retrieved, prompt.canary(), prompt.systemPrompt()),
        sentences);
  }

  static List<String> sentencesOf(String passage) {
    List<String> out = new ArrayList<>();
    for (String s : passage.split("(?<=[.!?])\\s++")) {
      String t = s.strip();
      if (t.length() >= 20 && t.length() <= 300) {
        out.add(t);
      }
    }
    return out.isEmpty() ? List.of(passage.length() > 300 ? passage.substring(0, 300) : passage) : out;
  }

  /** The corpus's Markdown files, chunked as ingestion chunks them. */
  static List<String> passages(Path corpus) throws IOException {
    DocumentParser parser = new DocumentParser();
    MarkdownChunker chunker = new MarkdownChunker();
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus)) {
      files = walk.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path file : files) {
      String id = corpus.relativize(file).toString();
      try {
        for (Chunk chunk : chunker.chunk(id, parser.parse(file, id))) {
          out.add(chunk.text());
        }
      } catch (DocumentParser.UnreadableDocumentException e) {
        System.err.println("skipped " + id + ": " + e.getMessage());
      }
    }
    return out;
  }
}
