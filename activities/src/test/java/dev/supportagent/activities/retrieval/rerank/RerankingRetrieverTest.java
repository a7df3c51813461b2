package dev.supportagent.activities.retrieval.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.model.gateway.FakeModelServer;
import dev.supportagent.activities.retrieval.HybridRetriever;
import dev.supportagent.workflows.retrieval.Passage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Re-ranking the top of the fused passages, and falling back to the fused order on any failure. */
class RerankingRetrieverTest {

  final InMemoryMetricReader reader = InMemoryMetricReader.create();
  final io.opentelemetry.api.metrics.Meter meter =
      SdkMeterProvider.builder().registerMetricReader(reader).build().get("test");
  final FakeModelServer server;
  /** The top-k each search was asked for. */
  final List<Integer> asked = new ArrayList<>();

  RerankingRetrieverTest() throws IOException {
    server = new FakeModelServer();
  }

  @AfterEach
  void close() {
    server.close();
  }

  static List<Passage> fused(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> new Passage("doc" + i + ".md#0", "doc" + i + ".md", "Doc " + i, null, null, "text " + i, 1.0 / (60 + i)))
        .toList();
  }

  /** A search over {@code n} fused passages that records the top-k it was asked for. */
  RerankingRetriever.Search search(int n) {
    return (question, context, topK, mode) -> {
      asked.add(topK);
      return new HybridRetriever.Result(fused(n).subList(0, Math.min(n, topK)), 0.83, "kb-chunks-abc");
    };
  }

  String root() {
    return server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());
  }

  Map<Attributes, Long> calls() {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(RerankingRetriever.CALLS))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  static List<String> ids(List<Passage> passages) {
    return passages.stream().map(Passage::passageId).toList();
  }

  /** A TEI answer scoring the passages in reverse: the last of the {@code n} sent is the best. */
  static FakeModelServer.Script reversed(int n) {
    String results =
        IntStream.range(0, n).mapToObj(i -> "{\"index\":" + i + ",\"score\":" + (i + 1) / 100.0 + "}")
            .collect(Collectors.joining(",", "[", "]"));
    return RerankersTest.json(results);
  }

  @Test
  void should_rerank_top_n_and_return_top_k_when_reranker_answers() throws IOException {
    server.enqueue(reversed(20));
    RerankingRetriever retriever =
        new RerankingRetriever(search(30), new TeiReranker(root(), null, Duration.ofSeconds(5)), 20, meter);

    HybridRetriever.Result r = retriever.search("how do refunds work?", List.of(), 5, HybridRetriever.Mode.PLAIN);

    assertEquals(List.of(20), asked, "the search is asked for the top N, not the top k");
    assertEquals(List.of("doc19.md#0", "doc18.md#0", "doc17.md#0", "doc16.md#0", "doc15.md#0"), ids(r.passages()));
    assertEquals(0.20, r.passages().get(0).score(), 1e-9, "the passages carry the re-ranker's scores");
    assertEquals(0.83, r.bestVectorScore(), "relevance is still judged on the kNN score");
    assertEquals("kb-chunks-abc", r.kbVersion());
    assertEquals(20, RerankersTest.JSON.readTree(server.requests().get(0).body()).get("texts").size());
    assertEquals(Map.of(RerankingRetriever.RERANKED, 1L), calls());
  }

  @Test
  void should_rerank_with_conversation_query_when_mode_is_hybrid_context() throws IOException {
    server.enqueue(reversed(3));
    RerankingRetriever retriever =
        new RerankingRetriever(search(3), new TeiReranker(root(), null, Duration.ofSeconds(5)), 20, meter);

    retriever.search("do they allow pets?", List.of("the Hobsons House has 3 stars"), 3, HybridRetriever.Mode.HYBRID_CONTEXT);

    assertEquals(
        "do they allow pets?\nthe Hobsons House has 3 stars",
        RerankersTest.JSON.readTree(server.requests().get(0).body()).get("query").asText());
  }

  @Test
  void should_keep_fused_order_when_reranker_answers_500() throws IOException {
    server.enqueue(FakeModelServer.status(500));
    RerankingRetriever retriever =
        new RerankingRetriever(
            search(30), new CohereReranker("rerank-english-v3.0", root(), "k", Duration.ofSeconds(5)), 20, meter);

    HybridRetriever.Result r = retriever.search("q", List.of(), 5, HybridRetriever.Mode.PLAIN);

    assertEquals(ids(fused(5)), ids(r.passages()));
    assertEquals(fused(5), r.passages(), "fused scores kept");
    assertEquals(Map.of(RerankingRetriever.FALLBACK, 1L), calls());
  }

  @Test
  void should_keep_fused_order_when_reranker_times_out() throws IOException {
    server.enqueue(exchange -> {
      Thread.sleep(3_000);
      RerankersTest.json("[]").respond(exchange);
    });
    RerankingRetriever retriever =
        new RerankingRetriever(
            search(30), new JinaReranker("jina-reranker-v2-base-multilingual", root(), "k", Duration.ofMillis(200)), 20,
            meter);

    long start = System.nanoTime();
    HybridRetriever.Result r = retriever.search("q", List.of(), 5, HybridRetriever.Mode.PLAIN);
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(ids(fused(5)), ids(r.passages()));
    assertTrue(tookMs < 2_000, "gave up after the timeout, took " + tookMs + " ms");
    assertEquals(Map.of(RerankingRetriever.FALLBACK, 1L), calls());
  }

  @Test
  void should_keep_fused_order_when_reranker_is_unreachable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RerankingRetriever retriever =
        new RerankingRetriever(
            search(30), new TeiReranker("http://127.0.0.1:" + closedPort, null, Duration.ofSeconds(1)), 20, meter);

    List<Passage> passages = retriever.search("q", List.of(), 5, HybridRetriever.Mode.PLAIN).passages();

    assertEquals(ids(fused(5)), ids(passages));
    assertEquals(Map.of(RerankingRetriever.FALLBACK, 1L), calls());
  }

  @Test
  void should_keep_fused_order_when_answer_is_malformed() {
    server.enqueue(RerankersTest.json("{\"results\":\"nope\"}"));
    RerankingRetriever retriever =
        new RerankingRetriever(search(30), new CohereReranker("m", root(), "k", Duration.ofSeconds(5)), 20, meter);

    assertEquals(ids(fused(4)), ids(retriever.rerank("q", fused(30), 4)));
  }

  @Test
  void should_keep_unreranked_tail_after_reranked_head_when_top_k_exceeds_top_n() {
    server.enqueue(reversed(3));
    RerankingRetriever retriever =
        new RerankingRetriever(search(10), new TeiReranker(root(), null, Duration.ofSeconds(5)), 3, meter);

    List<Passage> passages = retriever.rerank("q", fused(10), 6);

    assertEquals(List.of("doc2.md#0", "doc1.md#0", "doc0.md#0", "doc3.md#0", "doc4.md#0", "doc5.md#0"), ids(passages));
  }

  @Test
  void should_pass_search_through_when_reranker_is_off() throws IOException {
    RerankingRetriever retriever = RerankingRetriever.off(search(30), meter);

    HybridRetriever.Result r = retriever.search("q", List.of(), 5, HybridRetriever.Mode.PLAIN);

    assertEquals(List.of(5), asked);
    assertEquals(ids(fused(5)), ids(r.passages()));
    assertEquals(0, server.requestCount());
    assertEquals(Map.of(), calls());
  }
}
