package dev.supportagent.evaluation.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.metrics.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code bench turn}: sends turns one after another through the running API and reports the turn
 * latency the client sees, each stage's share (as the workflow reports it), and what is left:
 * Temporal's part (scheduling, history, task round trips) plus HTTP.
 */
public final class TurnBench {

  static final List<String> QUESTIONS =
      List.of(
          "How do I reset my password?",
          "How long do I have to ask for a refund?",
          "My hub is offline and will not connect to Wi-Fi",
          "What does the Pro plan include?",
          "How much does shipping to the UK cost?",
          "How do I track my order?",
          "My bulb won't pair with the hub",
          "Can I export my data?",
          "How do I turn on two-factor authentication?",
          "What is the warranty on bulbs?");

  private final URI api;
  private final String key;
  private final int turns;
  private final int warmup;
  private final int turnsPerConversation;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  TurnBench(URI api, String key, int turns, int warmup, int turnsPerConversation) {
    this.api = api;
    this.key = key;
    this.turns = turns;
    this.warmup = warmup;
    this.turnsPerConversation = turnsPerConversation;
  }

  public static TurnBench fromArgs(String[] args, Map<String, String> env) {
    Options options = Options.parse(args, Set.of("--turns", "--warmup", "--turns-per-conversation"));
    String url = env.getOrDefault("SUPPORT_API_URL", "http://127.0.0.1:7070");
    String key = env.get("CUSTOMER_APP_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("CUSTOMER_APP_KEY is not set (deploy/local/eval sets it from .local/keys.env)");
    }
    return new TurnBench(
        URI.create(url),
        key,
        options.integer("--turns", 200, 1),
        options.integer("--warmup", 10, 0),
        options.integer("--turns-per-conversation", 5, 1));
  }

  public String run() throws IOException, InterruptedException {
    List<Double> totals = new ArrayList<>();
    List<Double> temporal = new ArrayList<>();
    Map<String, List<Double>> stages = new TreeMap<>();
    String customer = null;
    String conversation = null;
    for (int i = 0; i < warmup + turns; i++) {
      if (i % turnsPerConversation == 0) {
        // one end user per conversation, as in real traffic (and within per-end-user limits)
        customer = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        conversation = startConversation(customer);
      }
      String question = QUESTIONS.get(i % QUESTIONS.size());
      long start = System.nanoTime();
      JsonNode reply = send(customer, conversation, question).path("reply");
      double totalMs = (System.nanoTime() - start) / 1e6;
      if (i < warmup) {
        continue;
      }
      totals.add(totalMs);
      double stageSum = 0;
      var fields = reply.path("stagesMs").fields();
      while (fields.hasNext()) {
        var f = fields.next();
        stages.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue().asDouble());
        stageSum += f.getValue().asDouble();
      }
      temporal.add(totalMs - stageSum);
    }
    ObjectNode out = json.createObjectNode();
    out.put("suite", "bench turn");
    out.put("n", totals.size());
    out.set("latency_ms", Stats.latency(totals));
    ObjectNode byStage = out.putObject("stages_ms");
    stages.forEach((k, v) -> byStage.set(k, Stats.latency(v)));
    out.set("temporal_and_http_ms", Stats.latency(temporal));
    ObjectNode machine = out.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_gib", Math.round(totalMemoryGib() * 10) / 10.0);
    return json.writeValueAsString(out);
  }

  private String startConversation(String customer) throws IOException, InterruptedException {
    JsonNode created = post(customer, "/v1/conversations", Map.of("customerId", customer), 201);
    return created.path("conversationId").asText();
  }

  private JsonNode send(String customer, String conversation, String text)
      throws IOException, InterruptedException {
    return post(
        customer,
        "/v1/conversations/" + conversation + "/messages",
        Map.of("messageId", UUID.randomUUID().toString(), "text", text),
        200);
  }

  private JsonNode post(String customer, String path, Object body, int expected)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key)
            .header("X-Customer-Id", customer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  /** The machine's memory from /proc/meminfo; 0 where there is none. */
  static double totalMemoryGib() {
    try {
      String meminfo = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/meminfo"));
      long kb = Arrays.stream(meminfo.split("\n")).filter(l -> l.startsWith("MemTotal:"))
          .map(l -> l.replaceAll("\\D+", "")).mapToLong(Long::parseLong).findFirst().orElse(0);
      return kb / 1024.0 / 1024.0;
    } catch (IOException e) {
      return 0;
    }
  }
}
