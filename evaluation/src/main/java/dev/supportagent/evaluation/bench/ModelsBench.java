package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.activities.model.PromptTemplates;
import dev.supportagent.activities.model.gateway.CircuitBreaker;
import dev.supportagent.activities.model.gateway.GatewayRequest;
import dev.supportagent.activities.model.gateway.GatewayResponse;
import dev.supportagent.activities.model.gateway.ModelGateway;
import dev.supportagent.activities.model.gateway.ModelGatewayConfig;
import dev.supportagent.activities.model.gateway.ModelTier;
import dev.supportagent.activities.model.gateway.RedisCircuitBreaker;
import dev.supportagent.activities.model.gateway.StreamListener;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.bench.FakeProvider.Served;
import dev.supportagent.evaluation.bench.FakeProvider.Settings;
import dev.supportagent.evaluation.bench.FaultSchedule.Fault;
import dev.supportagent.evaluation.metrics.Stats;
import dev.supportagent.workflows.retrieval.Passage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * {@code bench models}: the model path against a {@link FakeProvider} that this bench serves on
 * {@code --provider-port}, to which the running worker's tiers must point ({@code
 * SUPPORT_MODEL_FAST} and {@code SUPPORT_MODEL_STRONG} = {@code openai:NAME@http://127.0.0.1:PORT/v1};
 * {@code deploy/local/eval bench models} starts such a worker). Three parts, one after another:
 *
 * <ol>
 *   <li><b>first token</b>: turns streamed through the API ({@code Accept: text/event-stream}); the
 *       time from the POST to the first {@code token} event, less the provider's own first-token
 *       delay, is what the stack adds. It is split at the provider: from the POST to the model
 *       request (API, Temporal, input check, retrieval, the answer activity's start) and from the
 *       provider's first token to the client (gateway, sentence hold-back, Redis stream, SSE relay).
 *       Less the input check's and retrieval's own times too, it is the orchestration's part
 *       ({@code added_orchestration_ms}).
 *   <li><b>gateway</b>: in this process, {@link ModelGateway#generate} with the Redis circuit
 *       breaker, as the worker builds it, against the same request sent with a bare JDK HttpClient
 *       to the same server, interleaved; the difference per pair is the gateway's overhead (chain
 *       walk, breaker, langchain4j's request and stream handling, accounting). Also with the
 *       in-memory breaker, which isolates the breaker's Redis round trips.
 *   <li><b>faults</b>: the provider fails a share of requests (seeded: an HTTP 500 or a stream that
 *       breaks after its first token); the share of turns answered through the API, by whom, and
 *       their latency.
 * </ol>
 */
public final class ModelsBench {

  static final List<String> QUESTIONS = TurnBench.QUESTIONS;
  /** The answer activity's request limits ({@code AnswerActivitiesImpl}). */
  static final int MAX_OUTPUT_TOKENS = 400;
  static final double TEMPERATURE = 0.2;
  static final Duration TOKEN_GAP = Duration.ofMillis(20);

  private final URI api;
  private final String key;
  private final String redisUrl;
  private final int providerPort;
  private final Duration firstToken;
  private final int turns;
  private final int warmup;
  private final int turnsPerConversation;
  private final int gatewayCalls;
  private final int faultTurns;
  private final double failRate;
  private final long seed;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<Served> served = Collections.synchronizedList(new ArrayList<>());

  ModelsBench(URI api, String key, String redisUrl, int providerPort, Duration firstToken, int turns, int warmup,
      int turnsPerConversation, int gatewayCalls, int faultTurns, double failRate, long seed) {
    this.api = api;
    this.key = key;
    this.redisUrl = redisUrl;
    this.providerPort = providerPort;
    this.firstToken = firstToken;
    this.turns = turns;
    this.warmup = warmup;
    this.turnsPerConversation = turnsPerConversation;
    this.gatewayCalls = gatewayCalls;
    this.faultTurns = faultTurns;
    this.failRate = failRate;
    this.seed = seed;
  }

  public static ModelsBench fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(
            args,
            Set.of("--provider-port", "--first-token-ms", "--turns", "--warmup", "--turns-per-conversation",
                "--gateway-calls", "--fault-turns", "--fail-rate", "--seed"));
    if (options.string("--provider-port", null) == null) {
      throw new UsageException("bench models needs --provider-port, the port the worker's model tiers point at");
    }
    String key = env.get("CUSTOMER_APP_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("CUSTOMER_APP_KEY is not set (deploy/local/eval sets it from .local/keys.env)");
    }
    return new ModelsBench(
        URI.create(env.getOrDefault("SUPPORT_API_URL", "http://127.0.0.1:7070")),
        key,
        env.getOrDefault("SUPPORT_REDIS_URL", "redis://127.0.0.1:6379"),
        options.integer("--provider-port", 0, 1),
        Duration.ofMillis(options.integer("--first-token-ms", 300, 0)),
        options.integer("--turns", 100, 0),
        options.integer("--warmup", 10, 1),
        options.integer("--turns-per-conversation", 5, 1),
        options.integer("--gateway-calls", 500, 0),
        options.integer("--fault-turns", 100, 0),
        options.fraction("--fail-rate", 0.5),
        options.integer("--seed", 7, 0));
  }

  public String run() throws Exception {
    ObjectNode out = json.createObjectNode();
    out.put("suite", "bench models");
    Config redisConfig = new Config();
    redisConfig.useSingleServer().setAddress(redisUrl);
    RedissonClient redis = Redisson.create(redisConfig);
    try (FakeProvider provider = FakeProvider.start(providerPort, Settings.of(firstToken, TOKEN_GAP), served::add)) {
      CircuitBreaker breaker = new RedisCircuitBreaker(redis, RedisCircuitBreaker.KEY_PREFIX, CircuitBreaker.Settings.DEFAULT);
      String breakerKey = config(provider).chain(ModelTier.FAST).get(0).breakerKey();
      try {
        // the worker shares this breaker: start each part with it closed and its failures forgotten
        breaker.recordSuccess(breakerKey);
        if (turns > 0) {
          out.set("first_token", firstToken(provider));
        }
        if (gatewayCalls > 0) {
          out.set("gateway", gateway(provider, redis));
        }
        breaker.recordSuccess(breakerKey);
        if (faultTurns > 0) {
          out.set("faults", faults(provider));
        }
      } finally {
        breaker.recordSuccess(breakerKey);
      }
    } finally {
      redis.shutdown();
    }
    out.putObject("machine").put("cores", Runtime.getRuntime().availableProcessors());
    return json.writeValueAsString(out);
  }

  // ---- 1. time to the first token through the API ------------------------------------------------

  private ObjectNode firstToken(FakeProvider provider) throws IOException, InterruptedException {
    provider.configure(Settings.of(firstToken, TOKEN_GAP));
    double delayMs = firstToken.toNanos() / 1e6;
    List<Double> ttft = new ArrayList<>();
    List<Double> added = new ArrayList<>();
    List<Double> beforeModel = new ArrayList<>();
    List<Double> providerFirst = new ArrayList<>();
    List<Double> relay = new ArrayList<>();
    List<Double> reply = new ArrayList<>();
    List<Double> retrieval = new ArrayList<>();
    List<Double> orchestration = new ArrayList<>();
    Map<String, List<Double>> steps = new java.util.LinkedHashMap<>();
    int withoutModel = 0;
    Conversations conversations = new Conversations();
    for (int i = 0; i < warmup + turns; i++) {
      Turn turn = conversations.send(QUESTIONS.get(i % QUESTIONS.size()));
      if (i == warmup - 1) {
        requireRequests(provider, warmup);
      }
      if (i < warmup) {
        continue;
      }
      if (turn.requests().isEmpty() || turn.firstTokenNanos() == 0 || turn.reply() == null) {
        withoutModel++; // routed to no model (nothing relevant retrieved), or no token came
        continue;
      }
      Served model = turn.requests().get(0);
      double toFirst = ms(turn.firstTokenNanos() - turn.startNanos());
      ttft.add(toFirst);
      added.add(toFirst - delayMs);
      beforeModel.add(ms(model.receivedNanos() - turn.startNanos()));
      providerFirst.add(ms(model.firstTokenNanos() - model.receivedNanos()));
      relay.add(ms(turn.firstTokenNanos() - model.firstTokenNanos()));
      reply.add(ms(turn.replyNanos() - turn.startNanos()));
      retrieval.add(turn.reply().path("stagesMs").path("retrieval").asDouble());
      TurnBench.addSteps(steps, turn.sentAt(), turn.sentAt() + Math.round(ms(turn.replyNanos() - turn.startNanos())),
          turn.timeline());
      // what is left of the added time once the stages before the model are taken out
      orchestration.add(toFirst - delayMs - turn.reply().path("stagesMs").path("input_check").asDouble()
          - turn.reply().path("stagesMs").path("retrieval").asDouble());
    }
    ObjectNode node = json.createObjectNode();
    node.put("n", ttft.size());
    node.put("turns_without_model", withoutModel);
    node.put("provider_first_token_delay_ms", firstToken.toMillis());
    node.set("first_token_ms", Stats.latency(ttft));
    node.set("added_ms", Stats.latency(added));
    node.set("added_orchestration_ms", Stats.latency(orchestration));
    node.set("post_to_model_request_ms", Stats.latency(beforeModel));
    node.set("retrieval_ms", Stats.latency(retrieval));
    node.set("provider_first_token_ms", Stats.latency(providerFirst));
    node.set("provider_token_to_client_ms", Stats.latency(relay));
    node.set("reply_ms", Stats.latency(reply));
    TurnBench.putTimeline(node, steps);
    return node;
  }

  private void requireRequests(FakeProvider provider, int afterTurns) {
    if (served.isEmpty()) {
      throw new IllegalStateException(
          "no request reached the fake provider on " + provider.baseUrl() + " in " + afterTurns
              + " turns: do the worker's SUPPORT_MODEL_FAST and SUPPORT_MODEL_STRONG point at it?"
              + " (deploy/local/eval bench models starts such a worker)");
    }
  }

  // ---- 2. the gateway's own overhead, in process --------------------------------------------------

  private ObjectNode gateway(FakeProvider provider, RedissonClient redis) throws IOException, InterruptedException {
    // no delays: what is left of a call is the HTTP exchange and the gateway's own work
    provider.configure(Settings.of(Duration.ZERO, Duration.ZERO));
    ModelGatewayConfig config = config(provider);
    ModelGateway withRedis =
        ModelGateway.builder(config)
            .circuitBreaker(new RedisCircuitBreaker(redis, RedisCircuitBreaker.KEY_PREFIX, CircuitBreaker.Settings.DEFAULT))
            .build();
    ModelGateway inMemory = ModelGateway.builder(config).build();
    GatewayRequest request = gatewayRequest();
    generate(withRedis, request);
    String body = served.get(served.size() - 1).body();
    HttpClient raw = HttpClient.newHttpClient();
    HttpRequest rawRequest =
        HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    int warm = Math.min(100, gatewayCalls);
    List<Double> rawMs = new ArrayList<>();
    List<Double> gatewayMs = new ArrayList<>();
    List<Double> overhead = new ArrayList<>();
    List<Double> overheadInMemory = new ArrayList<>();
    for (int i = 0; i < warm + gatewayCalls; i++) {
      double[] t = new double[3];
      // rotate the order so that none of the three always runs on a warmer connection or cache
      for (int k = 0; k < 3; k++) {
        int which = (i + k) % 3;
        long start = System.nanoTime();
        switch (which) {
          case 0 -> {
            HttpResponse<InputStream> r = raw.send(rawRequest, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
              in.readAllBytes();
            }
            if (r.statusCode() != 200) {
              throw new IOException("the fake provider answered " + r.statusCode());
            }
          }
          case 1 -> generate(withRedis, request);
          default -> generate(inMemory, request);
        }
        t[which] = ms(System.nanoTime() - start);
      }
      if (i >= warm) {
        rawMs.add(t[0]);
        gatewayMs.add(t[1]);
        overhead.add(t[1] - t[0]);
        overheadInMemory.add(t[2] - t[0]);
      }
    }
    ObjectNode node = json.createObjectNode();
    node.put("n", rawMs.size());
    node.set("raw_http_ms", Stats.latency(rawMs));
    node.set("gateway_ms", Stats.latency(gatewayMs));
    node.set("overhead_ms", Stats.latency(overhead));
    node.set("overhead_in_memory_breaker_ms", Stats.latency(overheadInMemory));
    return node;
  }

  private static void generate(ModelGateway gateway, GatewayRequest request) {
    GatewayResponse response = gateway.generate(ModelTier.FAST, request, r -> "offline", StreamListener.IGNORE);
    if (!response.call().fallbacks().isEmpty()) {
      throw new IllegalStateException("the gateway fell back: " + response.call().fallbacks());
    }
  }

  /** A request the size of a real turn's: the system prompt, five passages and the question. */
  static GatewayRequest gatewayRequest() {
    String text =
        "Refunds are issued to the original payment method within 14 days of the request. "
            + "Open the Lumora app, go to Orders, choose the order and tap Request a refund. "
            + "Bulbs and hubs can be returned unopened within 30 days; opened devices within 14 days "
            + "if they are faulty. Shipping costs are refunded only for faulty devices. ";
    List<Passage> passages =
        IntStream.range(0, 5)
            .mapToObj(i -> new Passage("billing/refunds.md#" + i, "billing/refunds.md", "Refunds", "Section " + i,
                null, text.repeat(3), 0.8))
            .toList();
    String system = new PromptTemplates(List.of(PromptTemplates.DEFAULT_VERSION)).get(PromptTemplates.DEFAULT_VERSION)
        .systemPrompt();
    return new GatewayRequest(
        system,
        List.of(new GatewayRequest.Message(GatewayRequest.Role.USER,
            PromptTemplates.userMessage("How long do I have to ask for a refund?", passages))),
        MAX_OUTPUT_TOKENS,
        TEMPERATURE);
  }

  // ---- 3. faults ----------------------------------------------------------------------------------

  private ObjectNode faults(FakeProvider provider) throws IOException, InterruptedException {
    provider.configure(Settings.of(firstToken, TOKEN_GAP).withFaults(new FaultSchedule(failRate, seed)));
    List<Double> latency = new ArrayList<>();
    Map<String, List<Double>> byPath = new TreeMap<>();
    int answered = 0;
    int byModel = 0;
    int resets = 0;
    int requests = 0;
    Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    Map<String, Integer> fallbackReasons = new TreeMap<>();
    Conversations conversations = new Conversations();
    int failedRequests = 0;
    for (int i = 0; i < faultTurns; i++) {
      Turn turn;
      try {
        turn = conversations.send(QUESTIONS.get(i % QUESTIONS.size()));
      } catch (IOException e) {
        failedRequests++; // an error status or a broken connection: not answered
        continue;
      }
      requests += turn.requests().size();
      turn.requests().forEach(r -> injected.merge(r.fault(), 1, Integer::sum));
      resets += turn.resets();
      JsonNode reply = turn.reply();
      if (reply == null) {
        continue;
      }
      boolean ok =
          !reply.path("blocked").asBoolean()
              && !reply.path("text").asText().isBlank()
              && !"temporarily_unavailable".equals(reply.path("reason").asText());
      if (ok) {
        answered++;
        double ms = ms(turn.replyNanos() - turn.startNanos());
        latency.add(ms);
        byPath.computeIfAbsent(path(reply), k -> new ArrayList<>()).add(ms);
        if (!"offline".equals(reply.path("provider").asText())) {
          byModel++;
        }
      }
      for (JsonNode f : reply.path("fallbacks")) {
        String s = f.asText();
        // "openai:model@url: http 500 after 2 attempts" -> "http 500 after 2 attempts"
        int sep = s.indexOf(": ");
        fallbackReasons.merge(sep < 0 ? s : s.substring(sep + 2), 1, Integer::sum);
      }
    }
    if (faultTurns >= 3) {
      requireRequests(provider, faultTurns);
    }
    ObjectNode node = json.createObjectNode();
    node.put("n", faultTurns);
    node.put("fail_rate", failRate);
    node.put("seed", seed);
    node.put("answered", Stats.round((double) answered / faultTurns, 3));
    node.put("answered_by_model", Stats.round((double) byModel / faultTurns, 3));
    node.set("answered_latency_ms", Stats.latency(latency));
    ObjectNode paths = node.putObject("by_path");
    byPath.forEach(
        (path, ms) -> {
          ObjectNode p = paths.putObject(path);
          p.put("n", ms.size());
          p.set("latency_ms", Stats.latency(ms));
        });
    node.put("api_errors", failedRequests);
    node.put("provider_requests", requests);
    ObjectNode faults = node.putObject("provider_faults");
    injected.forEach((f, n) -> faults.put(f.name().toLowerCase(Locale.ROOT), n));
    node.put("resets_streamed", resets);
    ObjectNode reasons = node.putObject("fallback_reasons");
    fallbackReasons.forEach(reasons::put);
    return node;
  }

  /**
   * How a reply came about: {@code model_first_try}, {@code model_after_retry}, {@code
   * offline_after_failures} (the model's attempts failed), {@code offline_circuit_open} (the
   * breaker skipped the model without a request) or {@code offline_no_model} (routed to none).
   */
  static String path(JsonNode reply) {
    if (!"offline".equals(reply.path("provider").asText())) {
      return reply.path("attempts").asInt() <= 1 ? "model_first_try" : "model_after_retry";
    }
    if (reply.path("fallbacks").isEmpty()) {
      return "offline_no_model";
    }
    for (JsonNode f : reply.path("fallbacks")) {
      if (f.asText().endsWith(": circuit open")) {
        return "offline_circuit_open";
      }
    }
    return "offline_after_failures";
  }

  // ---- turns through the API ----------------------------------------------------------------------

  /**
   * One streamed turn as the client saw it.
   *
   * @param firstTokenNanos the first {@code token} event, 0 when none came
   * @param replyNanos the {@code reply} event (or the end of the stream)
   * @param reply the reply, null when an {@code error} event or status came instead
   * @param requests the provider requests made during the turn, in arrival order
   * @param sentAt the POST's time, epoch milliseconds
   * @param timeline the reply event's timeline (missing when there was none)
   */
  record Turn(long startNanos, long firstTokenNanos, long replyNanos, JsonNode reply, int resets,
      List<Served> requests, long sentAt, JsonNode timeline) {
    Turn withRequests(List<Served> made) {
      return new Turn(startNanos, firstTokenNanos, replyNanos, reply, resets, made, sentAt, timeline);
    }
  }

  /** Turns in conversations of {@code turnsPerConversation}, one end user each. */
  private final class Conversations {
    private int sent;
    private String customer;
    private String conversation;

    Turn send(String question) throws IOException, InterruptedException {
      if (sent++ % turnsPerConversation == 0) {
        customer = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        conversation = startConversation(customer);
      }
      int mark = served.size();
      Turn turn = stream(customer, conversation, question);
      synchronized (served) {
        return turn.withRequests(List.copyOf(served.subList(mark, served.size())));
      }
    }
  }

  private Turn stream(String customer, String conversation, String text) throws IOException, InterruptedException {
    String body = json.writeValueAsString(Map.of("messageId", UUID.randomUUID().toString(), "text", text));
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve("/v1/conversations/" + conversation + "/messages"))
            .timeout(Duration.ofSeconds(90))
            .header("Authorization", "Bearer " + key)
            .header("X-Customer-Id", customer)
            .header("Accept", "text/event-stream")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long sentAt = System.currentTimeMillis();
    long start = System.nanoTime();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    long[] firstToken = {0};
    int[] resets = {0};
    JsonNode[] replyEvent = {null};
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("POST messages answered " + response.statusCode() + ": " + String.join("\n", lines.toList()));
      }
      ServerSentEvents.read(lines, (event, data) -> {
        if ("token".equals(event) && firstToken[0] == 0) {
          firstToken[0] = System.nanoTime();
        } else if ("reset".equals(event)) {
          resets[0]++;
        } else if ("reply".equals(event)) {
          replyEvent[0] = json.readTree(data);
        }
      });
    }
    JsonNode reply = replyEvent[0] == null ? null : replyEvent[0].path("reply");
    JsonNode timeline = replyEvent[0] == null ? json.missingNode() : replyEvent[0].path("timeline");
    long end = System.nanoTime();
    return new Turn(start, firstToken[0], end, reply, resets[0], List.of(), sentAt, timeline);
  }

  private String startConversation(String customer) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve("/v1/conversations"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("X-Customer-Id", customer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("customerId", customer))))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("POST /v1/conversations answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body()).path("conversationId").asText();
  }

  private static ModelGatewayConfig config(FakeProvider provider) {
    String chain = "openai:bench-fake@" + provider.baseUrl();
    return ModelGatewayConfig.fromEnv(Map.of("SUPPORT_MODEL_FAST", chain, "SUPPORT_MODEL_STRONG", chain));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
