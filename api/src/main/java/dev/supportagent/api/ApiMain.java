package dev.supportagent.api;

import dev.supportagent.telemetry.TemporalTracing;
import dev.supportagent.telemetry.Telemetry;
import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API process: wires Temporal, Redis and telemetry into {@link ApiApp} and starts it. */
public final class ApiMain {

  private static final Logger log = LoggerFactory.getLogger(ApiMain.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  private ApiMain() {}

  public static void main(String[] args) {
    ApiConfig config;
    try {
      config = ApiConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Telemetry telemetry = Telemetry.create("support-api", System.getenv());
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalAddress()).build());
    WorkflowClient temporal =
        WorkflowClient.newInstance(
            service,
            // the HTTP request's trace goes on in the workflow and its activities
            TemporalTracing.propagateTraces(WorkflowClientOptions.newBuilder())
                .setNamespace(config.temporalNamespace())
                .build());
    RedissonClient redis = redis(config.redisUrl());
    Readiness readiness = readiness(service, redis, config.elasticsearchUrl());
    var app =
        ApiApp.create(
            config,
            new ApiApp.Dependencies(
                temporal,
                config.keys(),
                new RedisRateLimiter(redis, "support:ratelimit:"),
                readiness,
                telemetry,
                DocumentUploads.redis(redis),
                AnswerStreamReader.redis(redis),
                EscalationQueue.redis(redis, ApiApp.json())));
    app.start("127.0.0.1", config.port());
    log.info("API listening on http://127.0.0.1:{}", config.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.stop();
                  redis.shutdown();
                  service.shutdown();
                  telemetry.close();
                }));
  }

  /** Readiness: Temporal serving, Elasticsearch's cluster not red, Redis answering pings. */
  public static Readiness readiness(WorkflowServiceStubs service, RedissonClient redis, String elasticsearchUrl) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    return new Readiness()
        .add("temporal", () -> service.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING)
        .add("elasticsearch", () -> elasticsearchHealthy(http, elasticsearchUrl))
        .add("redis", () -> redis.getRedisNodes(RedisNodes.SINGLE).pingAll());
  }

  /** The process's one Redis client. */
  public static RedissonClient redis(String url) {
    Config c = new Config();
    c.useSingleServer()
        .setAddress(url)
        .setConnectTimeout(2000)
        .setTimeout(2000)
        // a single retry (Redisson's own, after 2 s at most): then the request fails instead of
        // stalling; nothing else retries Redis calls
        .setRetryAttempts(1);
    return Redisson.create(c);
  }

  /** Elasticsearch answers {@code GET /} with 405 in this distribution: ask the cluster's health. */
  static boolean elasticsearchHealthy(HttpClient http, String baseUrl) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/_cluster/health")).timeout(CHECK_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && !r.body().contains("\"status\":\"red\"");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
