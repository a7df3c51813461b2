package dev.supportagent.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.activities.embedding.Embeddings;
import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import dev.supportagent.activities.ingest.MarkdownChunker;
import dev.supportagent.activities.turnlog.ElasticsearchTurnLog;
import dev.supportagent.api.AnswerStreamReader;
import dev.supportagent.api.ApiApp;
import dev.supportagent.api.ApiConfig;
import dev.supportagent.api.ApiMain;
import dev.supportagent.api.DocumentUploads;
import dev.supportagent.api.EscalationQueue;
import dev.supportagent.api.RedisRateLimiter;
import dev.supportagent.telemetry.Telemetry;
import dev.supportagent.workflows.testing.IntegrationEnv;
import io.javalin.Javalin;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.redisson.api.RedissonClient;

/**
 * The API as {@code ApiMain} wires it, on the integration tests' servers, on a free port; a
 * customer's POST to it; and taking down what a stack test started.
 */
final class TestApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestApi() {}

  /** POSTs {@code body} as JSON for the end user {@code customer}; asserts a 2xx answer. */
  static JsonNode post(String base, String key, String path, String customer, Object body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("X-Customer-Id", customer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return r.body().isBlank() ? null : JSON.readTree(r.body());
  }

  /** A connection to the integration tests' Temporal server. */
  static WorkflowServiceStubs temporalService() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(IntegrationEnv.temporalAddress()).build());
  }

  /** A knowledge base of one document, ingested into an index of its own behind {@code alias}. */
  record Kb(Path root, String alias, String index) {}

  /** A turn log of its own for one test class, under a fresh alias. */
  static ElasticsearchTurnLog turnLog(ElasticsearchClient es, String name) {
    return new ElasticsearchTurnLog(es, "turns-" + name + "-" + UUID.randomUUID().toString().substring(0, 8), Clock.systemUTC());
  }

  static Kb oneDocument(ElasticsearchClient es, String name, String path, String markdown) throws Exception {
    Path root = Files.createTempDirectory(name + "-kb");
    Files.createDirectories(root.resolve(path).getParent());
    Files.writeString(root.resolve(path), markdown);
    String alias = "kb-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    String index = new KnowledgeBaseIndexer(es, Embeddings.documents(), new MarkdownChunker(), alias).ingest(root).index();
    return new Kb(root, alias, index);
  }

  /** Stops what was started, any of it null, and drops the test's indices. */
  static void stop(
      Javalin api, WorkerFactory factory, RedissonClient redis, WorkflowServiceStubs service, ElasticsearchClient es,
      String kbIndex, ElasticsearchTurnLog turnLog) throws Exception {
    if (api != null) {
      api.stop();
    }
    if (factory != null) {
      factory.shutdownNow();
    }
    if (redis != null) {
      redis.shutdown();
    }
    if (service != null) {
      service.shutdownNow();
    }
    if (es != null) {
      if (kbIndex != null) {
        es.indices().delete(d -> d.index(kbIndex));
      }
      if (turnLog != null) {
        turnLog.drop();
      }
      es.close();
    }
  }

  static Javalin start(
      ApiConfig config, WorkflowClient client, WorkflowServiceStubs service, RedissonClient redis, Telemetry telemetry,
      String name) {
    Javalin api =
        ApiApp.create(
            config,
            new ApiApp.Dependencies(
                client, config.keys(), new RedisRateLimiter(redis, name + ":" + UUID.randomUUID() + ":"),
                ApiMain.readiness(service, redis, IntegrationEnv.elasticsearchUrl()), telemetry,
                DocumentUploads.redis(redis), AnswerStreamReader.redis(redis),
                EscalationQueue.redis(redis, ApiApp.json())));
    api.start("127.0.0.1", 0);
    return api;
  }
}
