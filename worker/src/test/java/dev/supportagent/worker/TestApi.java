package dev.supportagent.worker;

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
import java.util.UUID;
import org.redisson.api.RedissonClient;

/** The API as {@code ApiMain} wires it, on the integration tests' servers, on a free port. */
final class TestApi {

  private TestApi() {}

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
