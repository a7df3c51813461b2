package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.evaluation.dataset.Question;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The running API as the answers suite uses it: conversations as the customer app, ingestion as
 * the admin. A 429 or 503 is retried after its {@code Retry-After} (1 s when absent, at most
 * {@link #MAX_WAIT}), up to {@link #MAX_ATTEMPTS} times; any other unexpected status is an
 * IOException with the status and body.
 */
public final class SupportApi {

  static final int MAX_ATTEMPTS = 30;
  static final Duration MAX_WAIT = Duration.ofSeconds(60);
  static final Duration TURN_TIMEOUT = Duration.ofMinutes(3);
  static final Duration INGEST_TIMEOUT = Duration.ofMinutes(30);
  static final Duration INGEST_POLL = Duration.ofSeconds(1);
  /** Files and bytes in one upload, below the API's limits (1,000 files, 25 MiB by default). */
  static final int UPLOAD_FILES = 500;
  static final long UPLOAD_BYTES = 16L * 1024 * 1024;

  /** A reply and the time the message took, as the client saw it (the last attempt). */
  public record Timed(JsonNode reply, double ms) {}

  private final URI base;
  private final String customerKey;
  private final String adminKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  public SupportApi(URI base, String customerKey, String adminKey) {
    this.base = base;
    this.customerKey = customerKey;
    this.adminKey = adminKey;
  }

  /** Starts a conversation for {@code customer}, importing {@code history}; its id. */
  public String start(String customer, List<Question.Turn> history) throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("customerId", customer);
    if (!history.isEmpty()) {
      body.put("history", history.stream().map(t -> Map.of("role", t.role(), "text", t.text())).toList());
    }
    HttpResponse<String> r = send(jsonPost("/v1/conversations", customerKey, customer, body), 201);
    return json.readTree(r.body()).path("conversationId").asText();
  }

  public Timed ask(String customer, String conversation, String text) throws IOException, InterruptedException {
    Map<String, Object> body = Map.of("messageId", UUID.randomUUID().toString(), "text", text);
    long[] started = new long[1];
    HttpResponse<String> r =
        send(jsonPost("/v1/conversations/" + conversation + "/messages", customerKey, customer, body), 200, started);
    double ms = (System.nanoTime() - started[0]) / 1e6;
    return new Timed(json.readTree(r.body()).path("reply"), ms);
  }

  /** Closes the conversation (and cancels a hand-over it started); failures are ignored. */
  public void close(String customer, String conversation) {
    try {
      send(jsonPost("/v1/conversations/" + conversation + "/close", customerKey, customer, Map.of()), 200);
    } catch (IOException e) {
      // best effort: an open conversation closes itself when idle
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Makes the folder's files the whole knowledge base: uploads them (document ids are paths
   * relative to the folder, files whose names start with a dot left out, as a folder ingestion
   * does), the first batch as a full rebuild, and waits for each ingestion to finish.
   *
   * @return the ingestions' progress objects, in order
   */
  public List<JsonNode> replaceKnowledgeBase(Path folder) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no documents in " + folder);
    }
    List<JsonNode> progress = new ArrayList<>();
    List<Path> batch = new ArrayList<>();
    long bytes = 0;
    for (Path file : files) {
      long size = Files.size(file);
      if (!batch.isEmpty() && (batch.size() >= UPLOAD_FILES || bytes + size > UPLOAD_BYTES)) {
        progress.add(upload(folder, batch, progress.isEmpty()));
        batch.clear();
        bytes = 0;
      }
      batch.add(file);
      bytes += size;
    }
    progress.add(upload(folder, batch, progress.isEmpty()));
    return progress;
  }

  private JsonNode upload(Path folder, List<Path> files, boolean fullRebuild) throws IOException, InterruptedException {
    String boundary = "support-eval-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Path file : files) {
      String id = folder.relativize(file).toString().replace('\\', '/');
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
          + id.replace("\"", "%22") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(Files.readAllBytes(file));
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"fullRebuild\"\r\n\r\n"
        + fullRebuild + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    byte[] bytes = body.toByteArray();
    HttpResponse<String> started =
        send(() -> HttpRequest.newBuilder(base.resolve("/v1/kb/ingest"))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + adminKey)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(), 202);
    String id = json.readTree(started.body()).path("ingestionId").asText();
    System.err.printf("ingesting %d documents of %s (%s%s) ...%n", files.size(), folder, id,
        fullRebuild ? ", full rebuild" : "");
    long deadline = System.nanoTime() + INGEST_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          send(() -> HttpRequest.newBuilder(base.resolve("/v1/kb/ingest/" + id))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + adminKey)
              .GET()
              .build(), 200);
      JsonNode status = json.readTree(r.body());
      String state = status.path("state").asText();
      if (state.equals("COMPLETED")) {
        return status.path("progress");
      }
      if (!state.equals("RUNNING")) {
        throw new IOException("ingestion " + id + " ended " + state + ": " + status.path("progress"));
      }
      Thread.sleep(INGEST_POLL.toMillis());
    }
    throw new IOException("ingestion " + id + " did not finish within " + INGEST_TIMEOUT);
  }

  private interface RequestFactory {
    HttpRequest build() throws IOException;
  }

  private RequestFactory jsonPost(String path, String key, String customer, Object body) throws IOException {
    String text = json.writeValueAsString(body);
    return () -> HttpRequest.newBuilder(base.resolve(path))
        .timeout(TURN_TIMEOUT)
        .header("Authorization", "Bearer " + key)
        .header("X-Customer-Id", customer)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text))
        .build();
  }

  private HttpResponse<String> send(RequestFactory request, int expected) throws IOException, InterruptedException {
    return send(request, expected, new long[1]);
  }

  /** Sends, waiting out rate limits; {@code started[0]} gets the last attempt's start time. */
  private HttpResponse<String> send(RequestFactory request, int expected, long[] started)
      throws IOException, InterruptedException {
    HttpRequest built = request.build();
    for (int attempt = 1; ; attempt++) {
      started[0] = System.nanoTime();
      HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == expected) {
        return r;
      }
      boolean retriable = r.statusCode() == 429 || r.statusCode() == 503;
      if (!retriable || attempt >= MAX_ATTEMPTS) {
        throw new IOException(built.method() + " " + built.uri().getPath() + " answered " + r.statusCode()
            + (retriable ? " after " + attempt + " attempts" : "") + ": " + abbreviate(r.body()));
      }
      Thread.sleep(retryAfter(r).toMillis());
    }
  }

  static Duration retryAfter(HttpResponse<?> r) {
    try {
      long seconds = Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").strip());
      return Duration.ofSeconds(Math.max(0, Math.min(seconds, MAX_WAIT.toSeconds())));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
