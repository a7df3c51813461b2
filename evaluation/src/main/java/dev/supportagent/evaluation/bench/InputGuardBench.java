package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.guard.InputGuard;
import dev.supportagent.activities.guard.InputGuardConfig;
import dev.supportagent.activities.guard.Normaliser;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.guard.GuardDataset;
import dev.supportagent.evaluation.guard.GuardRow;
import dev.supportagent.evaluation.metrics.Stats;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code bench input-guard [--dataset F] [--messages N] [--warmup N] [--passes N]}: times the whole input
 * chain per message as the worker runs it without a precomputed embedding (shape limits,
 * normalisation, every scanner, and embedding the message when a scanner asks for it), with the
 * shipped classifier. Messages: a guard dataset ({@code {id, text, label, source}}) or a question
 * file ({@code {id, question}}); default the sample help centre's questions. Reports wall time
 * (p50, p95, max), per source, the process's mean CPU time per message (every thread, the model's
 * included), and embedding alone for comparison.
 *
 * <p>The messages are gone through {@code --passes} times (5), so that the p95 rests on several
 * hundred measurements rather than on the fifth-slowest of a hundred. Within each pass, each message
 * is timed through the chain, then through the embedding model alone, then through the chain with
 * that embedding given (what the chain costs besides the embedding), one right after the other, so
 * that all three meet the same load and the same state of the process.
 */
public final class InputGuardBench {

  static final Path DEFAULT_MESSAGES = Path.of("deploy/local/sample-kb-questions.jsonl");

  private final Path dataset;
  private final int messages;
  private final int warmup;
  private final int passes;
  private final Map<String, String> env;

  InputGuardBench(Path dataset, int messages, int warmup, int passes, Map<String, String> env) {
    this.dataset = dataset;
    this.messages = messages;
    this.warmup = warmup;
    this.passes = passes;
    this.env = env;
  }

  public static InputGuardBench fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--dataset", "--messages", "--warmup", "--passes"));
    return new InputGuardBench(o.path("--dataset", DEFAULT_MESSAGES), o.integer("--messages", 0, 0),
        o.integer("--warmup", 50, 0), o.integer("--passes", 5, 1), env);
  }

  record Message(String text, String source) {}

  public ObjectNode run() {
    List<Message> all = read(dataset);
    if (messages > 0 && messages < all.size()) {
      all = all.subList(0, messages);
    }
    InputGuardConfig config;
    try {
      config = InputGuardConfig.load(env);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    EmbeddingModel model = Embeddings.queries();
    InputGuard guard = InputGuard.builder(config).embeddingModel(model).build();
    // the process's CPU time: the embedding model computes on threads of its own
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < warmup; i++) {
      guard.check(all.get(i % all.size()).text());
    }
    Normaliser normaliser = new Normaliser();
    List<Double> wall = new ArrayList<>();
    List<Double> embedOnly = new ArrayList<>();
    List<Double> besides = new ArrayList<>();
    Map<String, List<Double>> bySource = new TreeMap<>();
    long cpuChain = 0;
    for (int pass = 0; pass < passes; pass++) {
      for (Message m : all) {
        long c0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        guard.check(m.text());
        double ms = (System.nanoTime() - t0) / 1e6;
        cpuChain += cpu.getProcessCpuTime() - c0;
        wall.add(ms);
        bySource.computeIfAbsent(m.source(), s -> new ArrayList<>()).add(ms);
        // the model alone on the text the chain embeds
        String text = m.text().length() > config.shape().maxChars() ? m.text() : normaliser.normalise(m.text()).text();
        t0 = System.nanoTime();
        float[] embedding = model.embed(text.isEmpty() ? " " : text).content().vector();
        embedOnly.add((System.nanoTime() - t0) / 1e6);
        t0 = System.nanoTime();
        guard.check(m.text(), embedding);
        besides.add((System.nanoTime() - t0) / 1e6);
      }
    }
    double cpuPerMessage = cpuChain / 1e6 / wall.size();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("messages", all.size());
    out.put("passes", passes);
    out.put("measurements", wall.size());
    out.put("dataset", dataset.toString());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average", Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
    out.set("latency_ms", Stats.latency(wall));
    // the process's clock ticks in steps of about 10 ms: only a mean over all messages is meaningful
    out.put("cpu_ms_mean", Stats.round(cpuPerMessage, 1));
    out.set("embedding_alone_ms", Stats.latency(embedOnly));
    out.set("chain_given_the_embedding_ms", Stats.latency(besides));
    if (bySource.size() > 1) {
      ObjectNode sources = out.putObject("by_source");
      bySource.forEach((s, v) -> sources.set(s, Stats.latency(v)));
    }
    return out;
  }

  static List<Message> read(Path file) {
    try {
      List<Message> out = new ArrayList<>();
      for (GuardRow r : GuardDataset.read(file)) {
        out.add(new Message(r.text(), r.source()));
      }
      return out;
    } catch (UsageException notAGuardFile) {
      List<Message> out = new ArrayList<>();
      for (Question q : QuestionFile.read(file)) {
        out.add(new Message(q.question(), q.expect() == null ? "question" : q.expect()));
      }
      return out;
    }
  }
}
