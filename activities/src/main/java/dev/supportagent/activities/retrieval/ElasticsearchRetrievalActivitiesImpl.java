package dev.supportagent.activities.retrieval;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.supportagent.activities.ingest.ChunkDocument;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.retrieval.Passage;
import dev.supportagent.workflows.retrieval.RetrievalActivities;
import dev.supportagent.workflows.retrieval.RetrievalRequest;
import dev.supportagent.workflows.retrieval.RetrievalResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** kNN retrieval over the {@code kb-chunks} alias with the in-process MiniLM embedding model. */
public class ElasticsearchRetrievalActivitiesImpl implements RetrievalActivities {

  /**
   * Elasticsearch's cosine score is (1 + cos) / 2. Below this the best passage is taken for
   * "nothing relevant": 0.70 is a cosine of 0.40 for all-MiniLM-L6-v2.
   */
  public static final double DEFAULT_RELEVANCE_THRESHOLD = 0.70;

  private static final int MAX_TOP_K = 50;
  private static final String[] SOURCE_FIELDS = {
    "passage_id", "document_id", "title", "section", "url", "text", "kb_version"
  };

  private final ElasticsearchClient es;
  private final EmbeddingModel embeddings;
  private final String alias;
  private final double threshold;
  private final StageTimer timer;

  public ElasticsearchRetrievalActivitiesImpl(
      ElasticsearchClient es,
      EmbeddingModel embeddings,
      String alias,
      double threshold,
      StageTimer timer) {
    this.es = es;
    this.embeddings = embeddings;
    this.alias = alias;
    this.threshold = threshold;
    this.timer = timer;
  }

  @Override
  public RetrievalResult retrieve(RetrievalRequest request) {
    if (request.query() == null || request.query().isBlank()) {
      throw FailureType.INVALID_REQUEST.failure("query must not be empty");
    }
    int k = Math.max(1, Math.min(MAX_TOP_K, request.topK()));
    var timed = timer.time("retrieval", () -> search(request.query(), k));
    RetrievalResult r = timed.value();
    return new RetrievalResult(r.passages(), r.relevant(), r.kbVersion(), timed.durationMs());
  }

  private RetrievalResult search(String query, int k) {
    float[] vector = embeddings.embed(query).content().vector();
    List<Float> queryVector = new ArrayList<>(vector.length);
    for (float v : vector) {
      queryVector.add(v);
    }
    SearchResponse<ChunkDocument> response;
    try {
      response =
          es.search(
              s ->
                  s.index(alias)
                      .size(k)
                      .source(src -> src.filter(f -> f.includes(List.of(SOURCE_FIELDS))))
                      .knn(
                          knn ->
                              knn.field("embedding")
                                  .queryVector(queryVector)
                                  .k(k)
                                  .numCandidates(Math.max(50, k * 10))),
              ChunkDocument.class);
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        throw FailureType.KNOWLEDGE_BASE_MISSING.failure("the knowledge base has not been ingested yet");
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Passage> passages = new ArrayList<>();
    String kbVersion = null;
    for (Hit<ChunkDocument> hit : response.hits().hits()) {
      ChunkDocument d = hit.source();
      if (d == null) {
        continue;
      }
      kbVersion = kbVersion == null ? d.kbVersion() : kbVersion;
      double score = hit.score() == null ? 0 : hit.score();
      passages.add(
          new Passage(d.passageId(), d.documentId(), d.title(), d.section(), d.url(), d.text(), score));
    }
    boolean relevant = !passages.isEmpty() && passages.get(0).score() >= threshold;
    return new RetrievalResult(passages, relevant, kbVersion, 0);
  }
}
