package dev.supportagent.evaluation.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.indices.IndicesStatsResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.Chunk;
import dev.supportagent.activities.ingest.ChunkDocument;
import dev.supportagent.activities.ingest.DocumentIndexer;
import dev.supportagent.activities.ingest.DocumentParser;
import dev.supportagent.activities.ingest.DocumentParser.UnreadableDocumentException;
import dev.supportagent.activities.ingest.IngestActivitiesImpl;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.bench.CorpusReplica.Copy;
import dev.supportagent.evaluation.bench.CorpusReplica.Source;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.ingest.DocumentResult;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflowImpl;
import dev.supportagent.workflows.ingest.SourceDocument;
import dev.supportagent.workflows.ingest.SourcePage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code bench ingest}: throughput and peak memory of the ingestion pipeline against embedding
 * alone, at growing index sizes. At each size a corpus is grown from a source corpus
 * ({@link CorpusReplica}); the very chunk texts the pipeline will embed are embedded alone, with
 * the same model, batch and parallelism; then the documents are ingested into a fresh index
 * through {@link IngestActivitiesImpl} ({@code planPage}, then {@code indexDocument} for a few
 * documents at a time, as {@code KnowledgeIngestionWorkflow} runs them, without Temporal). The
 * difference is the pipeline's overhead: reading, parsing, chunking, Elasticsearch.
 *
 * <p>Embedding is most of the time, so sizes above {@code --embed-limit} are not embedded whole:
 * the index is first filled to {@code size - embed-limit} chunks by writing copies' chunks
 * directly with reused vectors (the source corpus's embeddings with noise, as {@code bench
 * retrieval} does), and both measurements are taken on the last {@code embed-limit} chunks,
 * ingested into that large index.
 */
public final class IngestBench {

  static final String DEFAULT_SIZES = "1000,10000,100000";
  static final int DEFAULT_EMBED_LIMIT = 10_000;
  static final int MAX_SIZE = 2_000_000;
  static final int PARALLEL_DOCUMENTS = KnowledgeIngestionWorkflowImpl.PARALLEL_DOCUMENTS;
  static final int PAGE_SIZE = KnowledgeIngestionWorkflowImpl.PAGE_SIZE;
  static final int EMBED_BATCH = DocumentIndexer.EMBED_BATCH;
  static final double OVERHEAD_GOAL_PCT = 20;
  /** Chunks per bulk request when filling an index with reused vectors. */
  static final int PREFILL_BULK = 1_000;
  /** Source documents ingested once before any measurement, to warm up the code paths. */
  static final int WARMUP_DOCUMENTS = 8;
  /** The longest wait for Elasticsearch's merges after a fill, before measuring anyway. */
  static final Duration SETTLE_LIMIT = Duration.ofMinutes(10);

  static final String METHOD =
      "pipeline: IngestActivitiesImpl planPage and indexDocument (parse, chunk, embed, bulk-index), "
          + PARALLEL_DOCUMENTS + " documents at a time as the workflow runs them, without Temporal, then one refresh."
          + " embed: the same embeddingText() strings embedded alone, same model, batch and parallelism."
          + " overhead_pct: pipeline over embed wall time; cpu_overhead_pct: pipeline CPU (this process plus"
          + " Elasticsearch) over embed CPU. Each size is a fresh index. Sizes up to embed_limit are ingested whole."
          + " Larger sizes: the index is first filled to size - embed_limit chunks by bulk-writing copies' chunks"
          + " with reused vectors (the source corpus's embeddings plus Gaussian noise, not embedded), then the"
          + " pipeline and the embedding alone are measured on the last embed_limit chunks, ingested into that"
          + " large index.";

  static final String INTERLEAVED_METHOD =
      " --interleaved: instead of one phase after the other, the two alternate a group of "
          + PARALLEL_DOCUMENTS + " documents at a time (embedding first for one group, the pipeline first for the next),"
          + " so both meet the same load; their wall and process CPU times are summed over the groups (planning"
          + " and the final refresh count to the pipeline; reading and chunking the texts for the embedding alone"
          + " is not timed); cpu_overhead_pct covers this process only, heap and RSS peaks the whole run.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path corpus;
  private final List<Integer> sizes;
  private final int embedLimit;
  private final String elasticsearchUrl;
  private final boolean interleaved;

  private final MarkdownChunker chunker = new MarkdownChunker();
  private final DocumentParser parser = new DocumentParser();
  private final PeakMemory memory = new PeakMemory();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ExecutorService workers;
  private EmbeddingModel embeddings;

  IngestBench(Path corpus, List<Integer> sizes, int embedLimit, String elasticsearchUrl) {
    this(corpus, sizes, embedLimit, elasticsearchUrl, false);
  }

  IngestBench(Path corpus, List<Integer> sizes, int embedLimit, String elasticsearchUrl, boolean interleaved) {
    this.corpus = corpus;
    this.sizes = sizes;
    this.embedLimit = embedLimit;
    this.elasticsearchUrl = elasticsearchUrl;
    this.interleaved = interleaved;
  }

  public static IngestBench fromArgs(String[] args, Map<String, String> env) {
    Options options = Options.parse(args, Set.of("--corpus", "--sizes", "--embed-limit"), Set.of("--interleaved"));
    Path corpus = options.path("--corpus", Path.of("deploy/local/sample-kb"));
    if (!Files.isDirectory(corpus)) {
      throw new UsageException("corpus folder not found: " + corpus);
    }
    return new IngestBench(
        corpus,
        options.integers("--sizes", DEFAULT_SIZES, 1, MAX_SIZE),
        options.integer("--embed-limit", DEFAULT_EMBED_LIMIT, 1),
        env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
        options.flag("--interleaved"));
  }

  public ObjectNode run() throws Exception {
    List<Source> sources = readSources();
    Path root = Files.createTempDirectory("ingest-bench-");
    String alias = "ingest-bench-" + UUID.randomUUID().toString().substring(0, 8);
    Cleanup cleanup = new Cleanup(http, elasticsearchUrl, root);
    Thread hook = new Thread(cleanup::run, "ingest-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    workers = Executors.newFixedThreadPool(PARALLEL_DOCUMENTS);
    try (ElasticsearchClient es = ElasticsearchClients.create(elasticsearchUrl)) {
      embeddings = Embeddings.documents();
      IngestActivitiesImpl activities =
          new IngestActivitiesImpl(new DocumentIndexer(es, embeddings, chunker), parser, root);

      progress("embedding the source corpus (" + sources.size() + " documents; also warms the model up)");
      Map<String, List<float[]>> vectors = sourceVectors(sources);
      int sourceChunks = vectors.values().stream().mapToInt(List::size).sum();
      warmUpPipeline(es, activities, cleanup, root, alias, sources);

      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("suite", "bench ingest");
      out.put("corpus", corpus.toString());
      out.put("source_documents", sources.size());
      out.put("source_chunks", sourceChunks);
      out.put("embed_limit", embedLimit);
      out.put("parallel_documents", PARALLEL_DOCUMENTS);
      out.put("embed_batch", EMBED_BATCH);
      out.put("page_size", PAGE_SIZE);
      out.put("overhead_goal_pct", OVERHEAD_GOAL_PCT);
      out.put("method", interleaved ? METHOD + INTERLEAVED_METHOD : METHOD);
      out.put("interleaved", interleaved);
      var rows = out.putArray("by_size");
      for (int size : sizes) {
        rows.add(measure(es, activities, cleanup, root, alias, sources, vectors, size));
      }
      out.put("rss_peak_reset", memory.rssResetFailure() == null);
      if (memory.rssResetFailure() != null) {
        out.put("rss_peak_note", "peaks since the process started: " + memory.rssResetFailure());
      }
      ObjectNode machine = out.putObject("machine");
      machine.put("cores", Runtime.getRuntime().availableProcessors());
      machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
      return out;
    } finally {
      workers.shutdownNow();
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook runs the same cleanup
      }
    }
  }

  private List<Source> readSources() throws IOException {
    List<Source> sources = new ArrayList<>();
    for (Path file : KnowledgeBaseIndexer.documents(corpus)) {
      sources.add(new Source(KnowledgeBaseIndexer.documentId(corpus, file), Files.readAllBytes(file)));
    }
    if (sources.isEmpty()) {
      throw new UsageException("no documents (" + String.join(", ", DocumentParser.TYPES) + ") under " + corpus);
    }
    return sources;
  }

  /** The chunks the pipeline makes of a document; none when it cannot be read. */
  private List<Chunk> chunksOf(String documentId, byte[] content) {
    try {
      return chunker.chunk(documentId, parser.parse(content, documentId));
    } catch (UnreadableDocumentException e) {
      return List.of();
    }
  }

  private Map<String, List<float[]>> sourceVectors(List<Source> sources) throws Exception {
    List<List<float[]>> vectors = inGroups(sources, source -> {
      List<String> texts = chunksOf(source.documentId(), source.content()).stream().map(Chunk::embeddingText).toList();
      return embed(texts).stream().map(Embedding::vector).toList();
    });
    Map<String, List<float[]>> bySource = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      bySource.put(sources.get(i).documentId(), vectors.get(i));
    }
    if (bySource.values().stream().allMatch(List::isEmpty)) {
      throw new UsageException("the documents under " + corpus + " make no chunks");
    }
    return bySource;
  }

  /** Embeds one document's texts as {@link DocumentIndexer} does: a batch at a time. */
  private List<Embedding> embed(List<String> texts) {
    List<Embedding> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
      List<TextSegment> batch =
          texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH)).stream().map(TextSegment::from).toList();
      out.addAll(embeddings.embedAll(batch).content());
    }
    return out;
  }

  private void warmUpPipeline(
      ElasticsearchClient es, IngestActivitiesImpl activities, Cleanup cleanup, Path root, String alias,
      List<Source> sources) throws Exception {
    String source = "warmup";
    for (Source s : sources.subList(0, Math.min(WARMUP_DOCUMENTS, sources.size()))) {
      write(root.resolve(source), s.documentId(), s.content());
    }
    String index = createIndex(activities, cleanup, alias, "warmup");
    try {
      progress("warming the pipeline up on " + Math.min(WARMUP_DOCUMENTS, sources.size()) + " documents");
      ingest(es, activities, source, index);
    } finally {
      cleanup.deleteIndex(index);
      Cleanup.deleteTree(root.resolve(source));
    }
  }

  private ObjectNode measure(
      ElasticsearchClient es, IngestActivitiesImpl activities, Cleanup cleanup, Path root, String alias,
      List<Source> sources, Map<String, List<float[]>> vectors, int size) throws Exception {
    String source = "size-" + size;
    String index = createIndex(activities, cleanup, alias, "s" + size);
    try {
      ObjectNode row = JsonNodeFactory.instance.objectNode();
      row.put("target_chunks", size);
      ObjectNode heap = JsonNodeFactory.instance.objectNode();
      ObjectNode rss = JsonNodeFactory.instance.objectNode();
      ObjectNode cpu = JsonNodeFactory.instance.objectNode();

      progress(size + " chunks: building the corpus");
      Corpus built = build(es, index, root.resolve(source), sources, vectors, size);
      row.put("chunks", built.prefilledChunks() + built.measuredChunks());
      row.put("documents", built.prefilledDocuments() + built.measuredIds().size());
      row.put("prefilled_chunks", built.prefilledChunks());
      row.put("prefilled_documents", built.prefilledDocuments());
      if (built.prefill() != null) {
        row.put("prefill_seconds", Stats.round(built.prefill().seconds(), 2));
        built.prefill().put("prefill", heap, rss, cpu);
        progress(size + " chunks: index filled to " + built.prefilledChunks() + " chunks with reused vectors"
            + " (bulk-written, not embedded) in " + Stats.round(built.prefill().seconds(), 1) + " s; measuring the last "
            + built.measuredChunks() + " chunks (" + built.measuredIds().size() + " documents) ingested into it");
        settle(es, index);
      }
      row.put("measured_chunks", built.measuredChunks());
      row.put("measured_documents", built.measuredIds().size());

      Phase embed;
      Phase pipeline;
      Ingested[] ingestedBox = new Ingested[1];
      if (interleaved) {
        progress(size + " chunks: embedding alone and the pipeline, alternating, on " + built.measuredIds().size()
            + " documents");
        Phase[] split = new Phase[2];
        Phase whole = timed(() -> {
          Alternated a = alternate(es, activities, source, index, root.resolve(source));
          ingestedBox[0] = a.ingested();
          split[0] = a.embed();
          split[1] = a.pipeline();
        });
        embed = split[0];
        pipeline = split[1];
        whole.put("interleaved", heap, rss, cpu);
      } else {
        progress(size + " chunks: embedding " + built.measuredChunks() + " chunks alone");
        embed = embedAlone(root.resolve(source), built.measuredIds());
        embed.put("embed", heap, rss, cpu);

        progress(size + " chunks: ingesting " + built.measuredIds().size() + " documents through the pipeline");
        pipeline = timed(() -> ingestedBox[0] = ingest(es, activities, source, index));
        pipeline.put("pipeline", heap, rss, cpu);
      }
      Ingested ingested = ingestedBox[0];
      if (ingested.chunks() != built.measuredChunks()) {
        throw new IllegalStateException("the pipeline wrote " + ingested.chunks() + " chunks where "
            + built.measuredChunks() + " were counted");
      }

      int documents = built.measuredIds().size();
      row.put("pipeline_seconds", Stats.round(pipeline.seconds(), 2));
      row.put("pipeline_chunks_per_s", Stats.round(built.measuredChunks() / pipeline.seconds(), 1));
      row.put("pipeline_docs_per_s", Stats.round(documents / pipeline.seconds(), 1));
      row.put("embed_seconds", Stats.round(embed.seconds(), 2));
      row.put("embed_chunks_per_s", Stats.round(built.measuredChunks() / embed.seconds(), 1));
      row.put("overhead_pct", Stats.round(100 * (pipeline.seconds() - embed.seconds()) / embed.seconds(), 1));
      // CPU, unlike wall time, hardly moves with what else the machine runs
      double pipelineCpu = pipeline.cpuSeconds() + pipeline.elasticsearchCpuSeconds();
      row.put("cpu_overhead_pct", Stats.round(100 * (pipelineCpu - embed.cpuSeconds()) / embed.cpuSeconds(), 1));
      row.put("failed_documents", ingested.failed());
      row.set("heap_peak_mb", heap);
      row.set("rss_peak_mb", rss);
      row.set("cpu_seconds", cpu);
      IndicesStatsResponse stats = es.indices().stats(s -> s.index(index));
      row.put("index_chunks", es.count(c -> c.index(index)).count());
      row.put("index_mb", Stats.round(stats.indices().get(index).primaries().store().sizeInBytes() / 1048576.0, 1));
      row.put("load_average_1m",
          Stats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2));
      progress(row.toString());
      return row;
    } finally {
      cleanup.deleteIndex(index);
      Cleanup.deleteTree(root.resolve(source));
    }
  }

  /** A corpus as built: what was written directly, and the documents left for the pipeline. */
  private record Corpus(
      long prefilledChunks, int prefilledDocuments, Phase prefill, List<String> measuredIds, long measuredChunks) {}

  /**
   * Grows the corpus to {@code size} chunks, writes its leading copies straight into the index
   * (all but the last {@code embedLimit} chunks) and the remaining ones as files into
   * {@code folder}. The copies' contents are dropped on return, so they weigh on no phase.
   */
  private Corpus build(
      ElasticsearchClient es, String index, Path folder, List<Source> sources, Map<String, List<float[]>> vectors,
      int size) throws Exception {
    List<Copy> copies =
        CorpusReplica.replicate(sources, size, c -> chunksOf(c.documentId(), c.content()).size());
    long prefillTarget = Math.max(0, (long) size - embedLimit);
    int split = CorpusReplica.prefix(copies, prefillTarget);
    List<Copy> prefilled = copies.subList(0, split);
    Phase prefill = null;
    if (!prefilled.isEmpty()) {
      progress(size + " chunks: filling the index with " + CorpusReplica.chunks(prefilled)
          + " chunks of reused vectors (not embedded)");
      prefill = timed(() -> prefill(es, index, prefilled, vectors, new Random(size)));
    }
    List<Copy> measured = copies.subList(split, copies.size());
    for (Copy copy : measured) {
      write(folder, copy.documentId(), copy.content());
    }
    return new Corpus(
        CorpusReplica.chunks(prefilled), prefilled.size(), prefill,
        measured.stream().map(Copy::documentId).sorted().toList(), CorpusReplica.chunks(measured));
  }

  /** Writes the copies' chunks as the pipeline would, with a source chunk's vector plus noise. */
  private void prefill(
      ElasticsearchClient es, String index, List<Copy> copies, Map<String, List<float[]>> vectors, Random random)
      throws IOException {
    List<float[]> all = vectors.values().stream().flatMap(List::stream).toList();
    String now = Instant.now().toString();
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    int pending = 0;
    for (Copy copy : copies) {
      String sourceId = copy.documentId().substring(copy.documentId().indexOf('/') + 1);
      List<float[]> base = vectors.getOrDefault(sourceId, List.of());
      String hash = copy.contentHash();
      for (Chunk c : chunksOf(copy.documentId(), copy.content())) {
        float[] vector = base.isEmpty() ? all.get(c.index() % all.size()) : base.get(c.index() % base.size());
        String id = DocumentIndexer.chunkId(copy.documentId(), c.index());
        ChunkDocument doc = ChunkDocument.withStems(id, copy.documentId(), c.title(), c.section(), null, c.text(),
            c.index(), hash, index, now, RetrievalScaleBench.noisy(vector, random));
        bulk.operations(op -> op.index(ix -> ix.index(index).id(id).document(doc)));
        if (++pending == PREFILL_BULK) {
          check(es.bulk(bulk.build()));
          bulk = new BulkRequest.Builder();
          pending = 0;
        }
      }
    }
    if (pending > 0) {
      check(es.bulk(bulk.build()));
    }
  }

  /**
   * Waits until the index has no merge running (three checks in a row, a second apart), so the
   * fill's background work does not slow the measurements down.
   */
  private void settle(ElasticsearchClient es, String index) throws Exception {
    es.indices().refresh(r -> r.index(index));
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    int quiet = 0;
    while (quiet < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      IndicesStatsResponse stats = es.indices().stats(s -> s.index(index));
      var merges = stats.indices().get(index).total().merges();
      quiet = merges == null || merges.current() == 0 ? quiet + 1 : 0;
    }
    if (quiet < 3) {
      progress("merges still running after " + SETTLE_LIMIT.toMinutes() + " minutes; measuring anyway");
    }
  }

  /** Embeds the chunks the pipeline will embed, alone. */
  private Phase embedAlone(Path folder, List<String> documentIds) throws Exception {
    List<List<String>> texts = new ArrayList<>();
    for (String id : documentIds) {
      texts.add(chunksOf(id, Files.readAllBytes(folder.resolve(id))).stream().map(Chunk::embeddingText).toList());
    }
    return timed(() -> inGroups(texts, t -> embed(t).size()));
  }

  private interface Step {
    void run() throws Exception;
  }

  /**
   * What one phase took: wall time, CPU time of this process and of the Elasticsearch nodes
   * (whose figure moves about once a second), peak heap and RSS.
   */
  private record Phase(
      double seconds, double cpuSeconds, double elasticsearchCpuSeconds, double heapPeakMb, double rssPeakMb) {

    void put(String name, ObjectNode heap, ObjectNode rss, ObjectNode cpu) {
      heap.put(name, Stats.round(heapPeakMb, 1));
      rss.put(name, Stats.round(rssPeakMb, 1));
      cpu.put(name, Stats.round(cpuSeconds, 2));
      cpu.put(name + "_elasticsearch", Stats.round(elasticsearchCpuSeconds, 2));
    }
  }

  private Phase timed(Step step) throws Exception {
    memory.start();
    double elasticsearchCpu = elasticsearchCpuSeconds();
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    step.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
    return new Phase(seconds, cpuSeconds, elasticsearchCpuSeconds() - elasticsearchCpu, memory.heapPeakMb(),
        memory.rssPeakMb());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time the Elasticsearch nodes have used since they started, summed over the nodes. */
  private double elasticsearchCpuSeconds() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(elasticsearchUrl.replaceAll("/+$", "") + "/_nodes/stats/process"))
            .timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("node stats: HTTP " + response.statusCode());
    }
    long millis = 0;
    for (JsonNode node : JSON.readTree(response.body()).path("nodes")) {
      millis += node.path("process").path("cpu").path("total_in_millis").asLong();
    }
    return millis / 1000.0;
  }

  private record Ingested(long chunks, int failed) {}

  /** The two sides of an alternated run: their summed times (no memory figures), and what was written. */
  private record Alternated(Phase embed, Phase pipeline, Ingested ingested) {}

  /**
   * The pipeline's loop ({@link #ingest}) with the embedding alone of the same documents run next
   * to it, group by group, the order switched every group, each side's wall and CPU time summed.
   */
  private Alternated alternate(
      ElasticsearchClient es, IngestActivitiesImpl activities, String source, String index, Path folder)
      throws Exception {
    long[] embedNanos = {0, 0};
    long[] pipelineNanos = {0, 0};
    long chunks = 0;
    int failed = 0;
    int group = 0;
    String after = null;
    SourcePage page;
    do {
      String from = after;
      SourcePage[] planned = new SourcePage[1];
      add(pipelineNanos, () -> planned[0] = activities.planPage(source, index, from, PAGE_SIZE));
      page = planned[0];
      List<SourceDocument> changed = page.changed();
      for (int start = 0; start < changed.size(); start += PARALLEL_DOCUMENTS) {
        List<SourceDocument> documents = changed.subList(start, Math.min(changed.size(), start + PARALLEL_DOCUMENTS));
        List<List<String>> texts = new ArrayList<>();
        for (SourceDocument d : documents) {
          texts.add(chunksOf(d.documentId(), Files.readAllBytes(folder.resolve(d.documentId()))).stream()
              .map(Chunk::embeddingText).toList());
        }
        List<DocumentResult> results = new ArrayList<>();
        Step embedStep = () -> inGroups(texts, t -> embed(t).size());
        Step pipelineStep = () -> results.addAll(inGroups(documents, d -> activities.indexDocument(source, index, d)));
        if (group++ % 2 == 0) {
          add(embedNanos, embedStep);
          add(pipelineNanos, pipelineStep);
        } else {
          add(pipelineNanos, pipelineStep);
          add(embedNanos, embedStep);
        }
        for (DocumentResult result : results) {
          chunks += result.chunks();
          failed += result.failure() == null ? 0 : 1;
        }
      }
      after = page.last();
    } while (page.more());
    add(pipelineNanos, () -> es.indices().refresh(r -> r.index(index)));
    return new Alternated(
        new Phase(embedNanos[0] / 1e9, embedNanos[1] / 1e9, 0, 0, 0),
        new Phase(pipelineNanos[0] / 1e9, pipelineNanos[1] / 1e9, 0, 0, 0),
        new Ingested(chunks, failed));
  }

  /** Runs {@code step}, adding its wall time to {@code nanos[0]} and this process's CPU time to {@code nanos[1]}. */
  private static void add(long[] nanos, Step step) throws Exception {
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    step.run();
    nanos[0] += System.nanoTime() - start;
    nanos[1] += processCpuNanos() - cpu;
  }

  /** The workflow's loop without Temporal: page by page, a few documents at a time, then a refresh. */
  private Ingested ingest(ElasticsearchClient es, IngestActivitiesImpl activities, String source, String index)
      throws Exception {
    long chunks = 0;
    int failed = 0;
    int done = 0;
    String after = null;
    SourcePage page;
    do {
      page = activities.planPage(source, index, after, PAGE_SIZE);
      for (DocumentResult result : inGroups(page.changed(), d -> activities.indexDocument(source, index, d))) {
        chunks += result.chunks();
        failed += result.failure() == null ? 0 : 1;
      }
      done += page.changed().size() + page.skipped();
      after = page.last();
      if (page.more()) {
        progress("  pipeline: " + done + " of " + page.total() + " documents");
      }
    } while (page.more());
    es.indices().refresh(r -> r.index(index));
    return new Ingested(chunks, failed);
  }

  private interface Work<T, R> {
    R apply(T item) throws Exception;
  }

  /**
   * Runs {@code work} on {@link #PARALLEL_DOCUMENTS} items at a time and waits for each group, as
   * the workflow does; results in the items' order.
   */
  private <T, R> List<R> inGroups(List<T> items, Work<T, R> work) throws Exception {
    List<R> results = new ArrayList<>(items.size());
    for (int from = 0; from < items.size(); from += PARALLEL_DOCUMENTS) {
      List<Future<R>> group = new ArrayList<>();
      for (T item : items.subList(from, Math.min(items.size(), from + PARALLEL_DOCUMENTS))) {
        group.add(workers.submit(() -> work.apply(item)));
      }
      for (Future<R> future : group) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
      }
    }
    return results;
  }

  /** Creates {@code alias-token} through the pipeline's own step, and remembers it for deletion. */
  private static String createIndex(IngestActivitiesImpl activities, Cleanup cleanup, String alias, String token) {
    String index = alias + "-" + token;
    cleanup.indexes.add(index);
    String created = activities.chooseIndex(alias, true, token);
    if (!created.equals(index)) {
      cleanup.indexes.add(created);
      throw new IllegalStateException("expected index " + index + ", got " + created);
    }
    return index;
  }

  private static void write(Path folder, String documentId, byte[] content) throws IOException {
    Path file = folder.resolve(documentId);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private static void check(BulkResponse response) {
    if (response.errors()) {
      String first = response.items().stream()
          .filter(i -> i.error() != null)
          .map(i -> i.id() + ": " + i.error().reason())
          .findFirst()
          .orElse("unknown");
      throw new IllegalStateException("bulk indexing failed: " + first);
    }
  }

  private static void progress(String line) {
    System.err.println("bench ingest: " + line);
  }

  /**
   * Deletes the indexes the bench created and its temporary folder; run at the end, on failure,
   * and from a shutdown hook on Ctrl-C. Plain HTTP, so it works whatever state the client is in.
   */
  static final class Cleanup {

    final Set<String> indexes = ConcurrentHashMap.newKeySet();
    private final String elasticsearchUrl;
    private final Path root;
    private final HttpClient http;

    Cleanup(HttpClient http, String elasticsearchUrl, Path root) {
      this.http = http;
      this.elasticsearchUrl = elasticsearchUrl.replaceAll("/+$", "");
      this.root = root;
    }

    void run() {
      for (String index : List.copyOf(indexes)) {
        deleteIndex(index);
      }
      deleteTree(root);
    }

    void deleteIndex(String index) {
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/" + index))
                .timeout(Duration.ofSeconds(30)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 || response.statusCode() == 404) {
          indexes.remove(index);
        } else {
          progress("could not delete index " + index + ": HTTP " + response.statusCode());
        }
      } catch (IOException e) {
        progress("could not delete index " + index + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    static void deleteTree(Path folder) {
      if (!Files.exists(folder)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(folder)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        progress("could not delete " + folder + ": " + e.getMessage());
      }
    }
  }
}
