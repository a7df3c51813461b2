package dev.supportagent.evaluation.pii;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import dev.supportagent.activities.pii.PiiDetector;
import dev.supportagent.activities.pii.PiiSpan;
import dev.supportagent.activities.pii.PiiType;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.PiiFile;
import dev.supportagent.evaluation.metrics.SpanMetrics;
import dev.supportagent.evaluation.metrics.Stats;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code pii --dataset F [--misses N] [--types T,…] [--phone-regions US,…] [--phone-leniency L]
 * [--phone-cue-regions R,…|none]}:
 * runs the {@link PiiDetector} on every row and reports exact-span precision, recall and F1 per
 * type and micro-averaged (DESIGN.md's keys), the same for overlapping spans under {@code
 * overlap}, and the detection latency per row in wall and thread CPU time (after three warm-up
 * passes). {@code micro} is over the
 * types the detector reports (gold spans of other types are not counted there, but each type has
 * its row in {@code by_type}); {@code micro_structured} over the six structured types.
 * {@code --misses N} prints up to N missed and N spurious spans of each type to stderr.
 */
public final class PiiSuite {

  /** The structured types the detector is held to. */
  public static final List<String> STRUCTURED =
      List.of("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS");

  private static final int CONTEXT = 30;
  static final int WARMUP_PASSES = 3;

  private final Path dataset;
  private final int misses;
  private final PiiDetector detector;
  private final ObjectNode settings;
  private final PrintStream err;

  PiiSuite(Path dataset, int misses, PiiDetector detector, ObjectNode settings, PrintStream err) {
    this.dataset = dataset;
    this.misses = misses;
    this.detector = detector;
    this.settings = settings;
    this.err = err;
  }

  public static PiiSuite fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(args, Set.of("--dataset", "--misses", "--types", "--phone-regions", "--phone-leniency", "--phone-cue-regions"));
    Path dataset = options.path("--dataset", null);
    if (dataset == null) {
      throw new UsageException("pii needs --dataset FILE");
    }
    PiiDetector.Builder builder = PiiDetector.builder();
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    String types = options.string("--types", null);
    if (types != null) {
      Set<PiiType> chosen = EnumSet.noneOf(PiiType.class);
      for (String t : types.split(",")) {
        try {
          chosen.add(PiiType.valueOf(t.strip()));
        } catch (IllegalArgumentException e) {
          throw new UsageException(
              "--types: unknown type '" + t.strip() + "' (known: " + Arrays.toString(PiiType.values()) + ")");
        }
      }
      builder.types(chosen);
    }
    List<String> regions = PiiDetector.DEFAULT_PHONE_REGIONS;
    String regionList = options.string("--phone-regions", null);
    if (regionList != null) {
      regions = Arrays.stream(regionList.split(",")).map(r -> r.strip().toUpperCase(Locale.ROOT)).toList();
      builder.phoneRegions(regions);
    }
    List<String> cueRegions = PiiDetector.DEFAULT_PHONE_CUE_REGIONS;
    String cueList = options.string("--phone-cue-regions", null);
    if (cueList != null) {
      cueRegions =
          cueList.equalsIgnoreCase("none")
              ? List.of()
              : Arrays.stream(cueList.split(",")).map(r -> r.strip().toUpperCase(Locale.ROOT)).toList();
      builder.phoneCueRegions(cueRegions);
    }
    Leniency leniency = PiiDetector.DEFAULT_PHONE_LENIENCY;
    String leniencyName = options.string("--phone-leniency", null);
    if (leniencyName != null) {
      try {
        leniency = Leniency.valueOf(leniencyName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--phone-leniency takes POSSIBLE, VALID, STRICT_GROUPING or EXACT_GROUPING");
      }
      builder.phoneLeniency(leniency);
    }
    settings.putPOJO("phone_regions", regions);
    settings.putPOJO("phone_cue_regions", cueRegions);
    settings.put("phone_leniency", leniency.name());
    try {
      return new PiiSuite(dataset, options.integer("--misses", 0, 0), builder.build(), settings, System.err);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  public ObjectNode run() {
    List<PiiFile.Row> rows = PiiFile.read(dataset);
    for (int pass = 0; pass < WARMUP_PASSES; pass++) {
      for (PiiFile.Row row : rows) {
        detector.detect(row.text()); // warm-up: class loading, phone metadata, JIT
      }
    }
    Set<String> detected = new TreeSet<>();
    detector.types().forEach(t -> detected.add(t.name()));
    SpanMetrics metrics = new SpanMetrics();
    detected.forEach(metrics::declare);
    Map<String, ErrorKinds> errors = new TreeMap<>();
    Map<String, List<String>> missed = new TreeMap<>();
    Map<String, List<String>> spurious = new TreeMap<>();
    List<Double> latency = new ArrayList<>(rows.size());
    List<Double> cpu = new ArrayList<>(rows.size());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (PiiFile.Row row : rows) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      List<PiiSpan> found = detector.detect(row.text());
      latency.add((System.nanoTime() - start) / 1e6);
      cpu.add((threads.getCurrentThreadCpuTime() - cpuStart) / 1e6);
      List<SpanMetrics.Span> predicted =
          found.stream().map(s -> new SpanMetrics.Span(s.start(), s.end(), s.type().name())).toList();
      List<SpanMetrics.Span> gold =
          row.spans().stream().map(s -> new SpanMetrics.Span(s.start(), s.end(), s.type())).toList();
      metrics.add(gold, predicted);
      classify(row, gold, predicted, detected, errors, missed, spurious);
    }

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("n", rows.size());
    out.putPOJO("detected_types", detected);
    Set<String> scored = new TreeSet<>(detected);
    out.set("micro", metrics.exactMicro(scored));
    out.set("micro_structured", metrics.exactMicro(STRUCTURED));
    ObjectNode byType = metrics.exactByType();
    byType.properties().forEach(e -> {
      ObjectNode node = (ObjectNode) e.getValue();
      node.put("detected", detected.contains(e.getKey()));
      ErrorKinds kinds = errors.get(e.getKey());
      if (kinds != null) {
        node.set("errors", kinds.toJson());
      }
    });
    out.set("by_type", byType);
    ObjectNode overlap = out.putObject("overlap");
    overlap.set("micro", metrics.overlapMicro(scored));
    overlap.set("micro_structured", metrics.overlapMicro(STRUCTURED));
    overlap.set("by_type", metrics.overlapByType());
    out.set("latency_ms", latencyNode(latency));
    out.set("cpu_ms", latencyNode(cpu));
    out.put("load_average", Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
    out.set("settings", settings);
    if (misses > 0) {
      printMisses(missed, "missed");
      printMisses(spurious, "spurious");
    }
    return out;
  }

  private static ObjectNode latencyNode(List<Double> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("p50", Stats.round(Stats.percentile(values, 0.50), 3));
    node.put("p95", Stats.round(Stats.percentile(values, 0.95), 3));
    node.put("max", Stats.round(Stats.percentile(values, 1.0), 3));
    return node;
  }

  /** How the spans that were not matched exactly went wrong, per type. */
  static final class ErrorKinds {
    /** Gold spans with nothing overlapping them. */
    int missed;
    /** Gold spans overlapped by a prediction of the same type with other offsets. */
    int boundary;
    /** Gold spans overlapped only by predictions of other types. */
    int otherType;
    /** Predictions overlapping no gold span at all. */
    int spurious;
    /** Predictions overlapping only gold spans of other types. */
    int predictedAsThis;

    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("missed", missed);
      node.put("boundary", boundary);
      node.put("found_as_other_type", otherType);
      node.put("spurious", spurious);
      node.put("other_type_found_as_this", predictedAsThis);
      return node;
    }
  }

  private void classify(
      PiiFile.Row row, List<SpanMetrics.Span> gold, List<SpanMetrics.Span> predicted, Set<String> detected,
      Map<String, ErrorKinds> errors, Map<String, List<String>> missed, Map<String, List<String>> spurious) {
    for (SpanMetrics.Span g : gold) {
      if (predicted.contains(g) || !detected.contains(g.type())) {
        continue;
      }
      ErrorKinds kinds = errors.computeIfAbsent(g.type(), t -> new ErrorKinds());
      boolean sameType = predicted.stream().anyMatch(p -> p.type().equals(g.type()) && overlap(p, g));
      boolean otherType = predicted.stream().anyMatch(p -> !p.type().equals(g.type()) && overlap(p, g));
      String kind;
      if (sameType) {
        kinds.boundary++;
        kind = "boundary";
      } else if (otherType) {
        kinds.otherType++;
        kind = "as " + predicted.stream().filter(p -> overlap(p, g)).findFirst().orElseThrow().type();
      } else {
        kinds.missed++;
        kind = "missed";
      }
      note(missed, g.type(), row, g, kind);
    }
    for (SpanMetrics.Span p : predicted) {
      if (gold.contains(p)) {
        continue;
      }
      ErrorKinds kinds = errors.computeIfAbsent(p.type(), t -> new ErrorKinds());
      boolean sameType = gold.stream().anyMatch(g -> g.type().equals(p.type()) && overlap(p, g));
      if (sameType) {
        continue; // counted once, as the gold span's boundary error
      }
      var other = gold.stream().filter(g -> overlap(p, g)).findFirst();
      String kind;
      if (other.isPresent()) {
        kinds.predictedAsThis++;
        kind = "gold " + other.get().type();
      } else {
        kinds.spurious++;
        kind = "spurious";
      }
      note(spurious, p.type(), row, p, kind);
    }
  }

  private void note(Map<String, List<String>> notes, String type, PiiFile.Row row, SpanMetrics.Span s, String kind) {
    List<String> list = notes.computeIfAbsent(type, t -> new ArrayList<>());
    if (list.size() >= misses) {
      return;
    }
    String text = row.text();
    String shown =
        text.substring(Math.max(0, s.start() - CONTEXT), s.start()) + "⟦" + text.substring(s.start(), s.end()) + "⟧"
            + text.substring(s.end(), Math.min(text.length(), s.end() + CONTEXT));
    list.add(row.id() + " [" + kind + "] " + shown.replace("\n", "⏎"));
  }

  private static boolean overlap(SpanMetrics.Span a, SpanMetrics.Span b) {
    return a.start() < b.end() && b.start() < a.end();
  }

  private void printMisses(Map<String, List<String>> notes, String what) {
    Map<String, List<String>> ordered = new LinkedHashMap<>(notes);
    ordered.forEach((type, list) -> {
      err.println("== " + type + ": " + what);
      list.forEach(line -> err.println("  " + line));
    });
  }
}
