package dev.supportagent.evaluation.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.es.ElasticsearchClients;
import dev.supportagent.activities.ingest.Chunk;
import dev.supportagent.activities.ingest.ChunkDocument;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.dataset.Question;
import dev.supportagent.evaluation.dataset.QuestionFile;
import dev.supportagent.evaluation.metrics.Stats;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code bench retrieval}: kNN latency (query embedding included) and recall at 10 of the
 * approximate search against an exact search, at growing index sizes. The index is the
 * production mapping (int8 HNSW, cosine); its vectors are the real chunks of a corpus, replicated
 * with small Gaussian noise up to each size, so neighbours stay as clustered as real text.
 */
public final class RetrievalScaleBench {

  /** Norm of the noise added to a copy: a copy keeps a cosine of about 0.86 to its original. */
  static final double NOISE = 0.6;
  static final int K = 10;
  static final int DEFAULT_NUM_CANDIDATES = 100;
  static final int BULK = 1000;

  private final Path corpus;
  private final Path questions;
  private final List<Integer> sizes;
  private final String elasticsearchUrl;
  private final int numCandidates;
  private final Float oversample;

  RetrievalScaleBench(Path corpus, Path questions, List<Integer> sizes, String elasticsearchUrl,
      int numCandidates, Float oversample) {
    this.corpus = corpus;
    this.questions = questions;
    this.sizes = sizes;
    this.elasticsearchUrl = elasticsearchUrl;
    this.numCandidates = numCandidates;
    this.oversample = oversample;
  }

  public static RetrievalScaleBench fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(args, Set.of("--corpus", "--questions", "--sizes", "--num-candidates", "--oversample"));
    Path corpus = options.path("--corpus", Path.of("deploy/local/sample-kb"));
    if (!Files.isDirectory(corpus)) {
      throw new UsageException("corpus folder not found: " + corpus);
    }
    List<Integer> sizes = options.integers("--sizes", "1000,10000,100000", 1, 2_000_000);
    String oversample = options.string("--oversample", Double.toString(HybridRetriever.RESCORE_OVERSAMPLE));
    Float factor;
    try {
      factor = oversample.equals("none") ? null : Float.parseFloat(oversample);
    } catch (NumberFormatException e) {
      throw new UsageException("--oversample takes a number or none");
    }
    return new RetrievalScaleBench(
        corpus,
        options.path("--questions", Path.of("deploy/local/sample-kb-questions.jsonl")),
        sizes,
        env.getOrDefault("SUPPORT_ES_URL", "http://127.0.0.1:9200"),
        options.integer("--num-candidates", DEFAULT_NUM_CANDIDATES, 1),
        factor);
  }

  public ObjectNode run() throws Exception {
    List<String> queries = QuestionFile.read(questions).stream().map(Question::question).toList();
    // chunks with the documents' model, questions with the queries' model, as in production
    List<float[]> base = baseVectors(Embeddings.documents());
    EmbeddingModel embeddings = Embeddings.queries();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("suite", "bench retrieval");
    out.put("base_chunks", base.size());
    out.put("queries", queries.size());
    out.put("num_candidates", numCandidates);
    if (oversample != null) {
      out.put("rescore_oversample", oversample);
    }
    ArrayNode rows = out.putArray("by_size");
    try (ElasticsearchClient es = ElasticsearchClients.create(elasticsearchUrl)) {
      for (int size : sizes) {
        rows.add(measure(es, embeddings, base, queries, size));
      }
    }
    ObjectNode machine = out.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    return out;
  }

  private List<float[]> baseVectors(EmbeddingModel embeddings) throws Exception {
    MarkdownChunker chunker = new MarkdownChunker();
    List<TextSegment> segments = new ArrayList<>();
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        for (Chunk c : chunker.chunk(corpus.relativize(file).toString(), Files.readString(file))) {
          segments.add(TextSegment.from(c.embeddingText()));
        }
      }
    }
    if (segments.isEmpty()) {
      throw new UsageException("no Markdown documents under " + corpus);
    }
    List<float[]> vectors = new ArrayList<>();
    for (var e : embeddings.embedAll(segments).content()) {
      vectors.add(e.vector());
    }
    return vectors;
  }

  private ObjectNode measure(
      ElasticsearchClient es, EmbeddingModel embeddings, List<float[]> base, List<String> queries, int size)
      throws Exception {
    String index = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    Random random = new Random(size);
    float[][] vectors = new float[size][];
    for (int i = 0; i < size; i++) {
      vectors[i] = i < base.size() ? base.get(i) : noisy(base.get(i % base.size()), random);
    }
    try (InputStream mapping = RetrievalScaleBench.class.getResourceAsStream("/kb-chunks-mapping.json")) {
      es.indices().create(c -> c.index(index).withJson(mapping));
    }
    try {
      long start = System.nanoTime();
      for (int from = 0; from < size; from += BULK) {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (int i = from; i < Math.min(size, from + BULK); i++) {
          String id = Integer.toString(i);
          ChunkDocument doc =
              new ChunkDocument(id, "doc-" + (i % base.size()), "t", null, null, "chunk " + i, i, "h", "bench", null, vectors[i],
                  null, null, null);
          bulk.operations(op -> op.index(ix -> ix.index(index).id(id).document(doc)));
        }
        if (es.bulk(bulk.build()).errors()) {
          throw new IllegalStateException("bulk indexing failed at " + from);
        }
      }
      es.indices().refresh(r -> r.index(index));
      double indexSeconds = (System.nanoTime() - start) / 1e9;

      // warm up the searcher before timing
      for (int i = 0; i < Math.min(10, queries.size()); i++) {
        knn(es, index, embeddings.embed(queries.get(i)).content().vector(), numCandidates, oversample);
      }
      List<Double> latency = new ArrayList<>();
      List<Double> recall = new ArrayList<>();
      for (String q : queries) {
        long t = System.nanoTime();
        float[] vector = embeddings.embed(q).content().vector();
        Set<String> approximate = knn(es, index, vector, numCandidates, oversample);
        latency.add((System.nanoTime() - t) / 1e6);
        Set<String> exact = exactTop(vectors, vector);
        approximate.retainAll(exact);
        recall.add(approximate.size() / (double) exact.size());
      }
      ObjectNode row = JsonNodeFactory.instance.objectNode();
      row.put("chunks", size);
      row.put("index_seconds", Stats.round(indexSeconds, 1));
      row.set("latency_ms", Stats.latency(latency));
      row.put("recall_at_10_vs_exact", Stats.round(Stats.mean(recall), 4));
      System.err.println("bench retrieval: " + row);
      return row;
    } finally {
      es.indices().delete(d -> d.index(index));
    }
  }

  private static Set<String> knn(
      ElasticsearchClient es, String index, float[] vector, int numCandidates, Float oversample) throws Exception {
    List<Float> query = new ArrayList<>(vector.length);
    for (float v : vector) {
      query.add(v);
    }
    SearchResponse<Void> response =
        es.search(
            s -> s.index(index).size(K).source(src -> src.fetch(false))
                .knn(k -> {
                  k.field("embedding").queryVector(query).k(K).numCandidates(numCandidates);
                  return oversample == null ? k : k.rescoreVector(r -> r.oversample(oversample));
                }),
            Void.class);
    Set<String> ids = new HashSet<>();
    for (Hit<Void> hit : response.hits().hits()) {
      ids.add(hit.id());
    }
    return ids;
  }

  /** The exact top 10 by cosine: every vector is unit length, so by dot product. */
  static Set<String> exactTop(float[][] vectors, float[] query) {
    PriorityQueue<double[]> top = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    for (int i = 0; i < vectors.length; i++) {
      double dot = 0;
      float[] v = vectors[i];
      for (int d = 0; d < v.length; d++) {
        dot += v[d] * query[d];
      }
      if (top.size() < K) {
        top.add(new double[] {dot, i});
      } else if (dot > top.peek()[0]) {
        top.poll();
        top.add(new double[] {dot, i});
      }
    }
    Set<String> ids = new HashSet<>();
    for (double[] e : top) {
      ids.add(Integer.toString((int) e[1]));
    }
    return ids;
  }

  /** {@code v} plus Gaussian noise of norm about {@link #NOISE}, back to unit length. */
  static float[] noisy(float[] v, Random random) {
    float[] out = new float[v.length];
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] + random.nextGaussian() * NOISE / Math.sqrt(v.length));
      norm += out[d] * out[d];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < v.length; d++) {
      out[d] *= scale;
    }
    return out;
  }
}
