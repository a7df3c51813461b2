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
 *
 * <p>{@code --stream} sends each message with {@code Accept: text/event-stream} and adds the time
 * to the first {@code token} event. {@code --timeline} adds where each turn's time went, from one
 * clock (the host's: the client, the API and the workflow's steps are on the same machine): the
 * reply's {@code timeline} between the client's send and its receipt, step by step.
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
  private final boolean stream;
  private final boolean timeline;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  TurnBench(URI api, String key, int turns, int warmup, int turnsPerConversation, boolean stream, boolean timeline) {
    this.api = api;
    this.key = key;
    this.turns = turns;
    this.warmup = warmup;
    this.turnsPerConversation = turnsPerConversation;
    this.stream = stream;
    this.timeline = timeline;
  }

  public static TurnBench fromArgs(String[] args, Map<String, String> env) {
    Options options =
        Options.parse(args, Set.of("--turns", "--warmup", "--turns-per-conversation"), Set.of("--stream", "--timeline"));
    String url = env.getOrDefault("SUPPORT_API_URL", "http://127.0.0.1:7070");
    String key = env.get("CUSTOMER_APP_KEY");
    if (key == null || key.isBlank()) {
      throw new UsageException("CUSTOMER_APP_KEY is not set (deploy/local/eval sets it from .local/keys.env)");
    }
    return new TurnBench(
        URI.create(url),
        key,
        options.integer("--turns", 200, 1),
        options.integer("--warmup", 100, 0),
        options.integer("--turns-per-conversation", 5, 1),
        options.flag("--stream"),
        options.flag("--timeline"));
  }

  public String run() throws IOException, InterruptedException {
    List<Double> totals = new ArrayList<>();
    List<Double> temporal = new ArrayList<>();
    List<Double> firstTokens = new ArrayList<>();
    Map<String, List<Double>> stages = new TreeMap<>();
    Map<String, List<Double>> steps = new java.util.LinkedHashMap<>();
    String customer = null;
    String conversation = null;
    for (int i = 0; i < warmup + turns; i++) {
      if (i % turnsPerConversation == 0) {
        // one end user per conversation, as in real traffic (and within per-end-user limits)
        customer = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        conversation = startConversation(customer);
      }
      String question = QUESTIONS.get(i % QUESTIONS.size());
      long sentAt = System.currentTimeMillis();
      long start = System.nanoTime();
      Sent sent = stream ? streamed(customer, conversation, question) : send(customer, conversation, question);
      double totalMs = (System.nanoTime() - start) / 1e6;
      if (i < warmup) {
        continue;
      }
      JsonNode reply = sent.body().path("reply");
      totals.add(totalMs);
      if (sent.firstTokenNanos() != 0) {
        firstTokens.add((sent.firstTokenNanos() - start) / 1e6);
      }
      if (timeline) {
        addSteps(steps, sentAt, sentAt + Math.round(totalMs), sent.body().path("timeline"));
      }
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
    if (stream) {
      out.put("streamed", true);
      out.set("first_token_ms", Stats.latency(firstTokens));
    }
    if (timeline) {
      putTimeline(out, steps);
    }
    ObjectNode machine = out.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_gib", Math.round(totalMemoryGib() * 10) / 10.0);
    return json.writeValueAsString(out);
  }

  /** A reply's body, and when its first token came (System.nanoTime; 0 when not streamed). */
  record Sent(JsonNode body, long firstTokenNanos) {}

  /**
   * The intervals between a turn's consecutive marks, in time order, each named {@code from →
   * to}: the client's send, the reply's timeline, the client's receipt. Marks are whole
   * milliseconds of the host's clock.
   */
  static void addSteps(Map<String, List<Double>> steps, long sentAt, long receivedAt, JsonNode marks) {
    List<Map.Entry<String, Long>> ordered = new ArrayList<>();
    ordered.add(Map.entry("client_sent", sentAt));
    marks.fields().forEachRemaining(f -> ordered.add(Map.entry(f.getKey(), f.getValue().asLong())));
    ordered.add(Map.entry("client_received", receivedAt));
    ordered.sort(Map.Entry.comparingByValue()); // stable: equal times keep the reply's order
    for (int i = 1; i < ordered.size(); i++) {
      String step = ordered.get(i - 1).getKey() + " → " + ordered.get(i).getKey();
      steps.computeIfAbsent(step, k -> new ArrayList<>())
          .add((double) (ordered.get(i).getValue() - ordered.get(i - 1).getValue()));
    }
  }

  /** The steps as {@code timeline_ms} rows of {@code out} (step, n, p50, p95, max), and as a table on stderr. */
  static void putTimeline(ObjectNode out, Map<String, List<Double>> steps) {
    var rows = out.putArray("timeline_ms");
    steps.forEach((step, values) -> rows.addObject().put("step", step).put("n", values.size())
        .setAll(Stats.latency(values)));
    System.err.print(timelineTable(steps));
  }

  /** The timeline as a table for people: each step's p50 and p95 and how many turns had it. */
  static String timelineTable(Map<String, List<Double>> steps) {
    StringBuilder t = new StringBuilder(String.format("%-50s %8s %8s %6s%n", "step", "p50 ms", "p95 ms", "n"));
    steps.forEach((step, v) -> t.append(String.format("%-50s %8.1f %8.1f %6d%n", step,
        Stats.percentile(v, 0.50), Stats.percentile(v, 0.95), v.size())));
    return t.toString();
  }

  private Sent streamed(String customer, String conversation, String text) throws IOException, InterruptedException {
    HttpRequest request =
        request(customer, "/v1/conversations/" + conversation + "/messages",
            Map.of("messageId", UUID.randomUUID().toString(), "text", text))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<java.util.stream.Stream<String>> response =
        http.send(request, HttpResponse.BodyHandlers.ofLines());
    long[] firstToken = {0};
    JsonNode[] body = {null};
    try (java.util.stream.Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("POST messages answered " + response.statusCode() + ": " + String.join("\n", lines.toList()));
      }
      ServerSentEvents.read(lines, (event, data) -> {
        if ("token".equals(event) && firstToken[0] == 0) {
          firstToken[0] = System.nanoTime();
        } else if ("reply".equals(event)) {
          body[0] = json.readTree(data);
        } else if ("error".equals(event)) {
          throw new IOException("the stream ended with an error: " + data);
        }
      });
    }
    if (body[0] == null) {
      throw new IOException("the stream ended without a reply event");
    }
    return new Sent(body[0], firstToken[0]);
  }

  private String startConversation(String customer) throws IOException, InterruptedException {
    JsonNode created = post(customer, "/v1/conversations", Map.of("customerId", customer), 201);
    return created.path("conversationId").asText();
  }

  private Sent send(String customer, String conversation, String text)
      throws IOException, InterruptedException {
    return new Sent(
        post(
            customer,
            "/v1/conversations/" + conversation + "/messages",
            Map.of("messageId", UUID.randomUUID().toString(), "text", text),
            200),
        0);
  }

  private JsonNode post(String customer, String path, Object body, int expected)
      throws IOException, InterruptedException {
    HttpRequest request = request(customer, path, body).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  private HttpRequest.Builder request(String customer, String path, Object body) throws IOException {
    return HttpRequest.newBuilder(api.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("X-Customer-Id", customer)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
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
