package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
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
 * {@code bench input-guard [--dataset F] [--messages N] [--warmup N]}: times the whole input
 * chain per message as the worker runs it without a precomputed embedding (shape limits,
 * normalisation, every scanner, and embedding the message when a scanner asks for it), with the
 * shipped classifier. Messages: a guard dataset ({@code {id, text, label, source}}) or a question
 * file ({@code {id, question}}); default the sample help centre's questions. Reports wall time
 * (p50, p95, max), per source, the process's mean CPU time per message (every thread, the model's
 * included), and embedding alone for comparison.
 */
public final class InputGuardBench {

  static final Path DEFAULT_MESSAGES = Path.of("deploy/local/sample-kb-questions.jsonl");

  private final Path dataset;
  private final int messages;
  private final int warmup;
  private final Map<String, String> env;

  InputGuardBench(Path dataset, int messages, int warmup, Map<String, String> env) {
    this.dataset = dataset;
    this.messages = messages;
    this.warmup = warmup;
    this.env = env;
  }

  public static InputGuardBench fromArgs(String[] args, Map<String, String> env) {
    Options o = Options.parse(args, Set.of("--dataset", "--messages", "--warmup"));
    return new InputGuardBench(o.path("--dataset", DEFAULT_MESSAGES), o.integer("--messages", 0, 0),
        o.integer("--warmup", 50, 0), env);
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
    EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    InputGuard guard = InputGuard.builder(config).embeddingModel(model).build();
    // the process's CPU time: the embedding model computes on threads of its own
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < warmup; i++) {
      guard.check(all.get(i % all.size()).text());
    }
    List<Double> wall = new ArrayList<>();
    long cpuStart = cpu.getProcessCpuTime();
    Map<String, List<Double>> bySource = new TreeMap<>();
    for (Message m : all) {
      long t0 = System.nanoTime();
      guard.check(m.text());
      double ms = (System.nanoTime() - t0) / 1e6;
      wall.add(ms);
      bySource.computeIfAbsent(m.source(), s -> new ArrayList<>()).add(ms);
    }
    double cpuPerMessage = (cpu.getProcessCpuTime() - cpuStart) / 1e6 / all.size();
    // the model alone on the same texts, for comparison
    Normaliser normaliser = new Normaliser();
    List<Double> embedOnly = new ArrayList<>();
    for (Message m : all) {
      String text = m.text().length() > config.shape().maxChars() ? m.text() : normaliser.normalise(m.text()).text();
      long t0 = System.nanoTime();
      model.embed(text.isEmpty() ? " " : text);
      embedOnly.add((System.nanoTime() - t0) / 1e6);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("messages", all.size());
    out.put("dataset", dataset.toString());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average", Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
    out.set("latency_ms", Stats.latency(wall));
    // the process's clock ticks in steps of about 10 ms: only a mean over all messages is meaningful
    out.put("cpu_ms_mean", Stats.round(cpuPerMessage, 1));
    out.set("embedding_alone_ms", Stats.latency(embedOnly));
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
