package dev.supportagent.activities.retrieval.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supportagent.workflows.retrieval.Passage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A re-ranking service over HTTP with a JSON body: one POST per call, the whole call bounded by
 * the timeout, no retries. Subclasses give the path, the request body and how to read the answer.
 */
abstract class HttpReranker implements Reranker {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI uri;
  private final String apiKey;
  private final Duration timeout;
  private final String name;

  /**
   * @param baseUrl the server's root, without trailing slash
   * @param path the endpoint below it, from the root: {@code /v1/rerank}; not doubled when the
   *     base URL already ends in {@code /v1}
   * @param apiKey sent as a bearer token, or null
   */
  HttpReranker(String name, String baseUrl, String path, String apiKey, Duration timeout) {
    this.name = name;
    this.uri = URI.create(baseUrl.endsWith("/v1") && path.startsWith("/v1/") ? baseUrl + path.substring(3) : baseUrl + path);
    this.apiKey = apiKey;
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade on plain http, which some inference servers and proxies mishandle
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  /** The request body for the query and the passages' texts. */
  abstract ObjectNode body(String query, List<String> texts);

  /** The answer's (index, score) pairs, in any order. */
  abstract List<Scored> scores(JsonNode answer) throws RerankerException;

  @Override
  public String name() {
    return name;
  }

  URI uri() {
    return uri;
  }

  @Override
  public List<Scored> rerank(String query, List<Passage> passages) throws RerankerException {
    if (passages.isEmpty()) {
      return List.of();
    }
    List<String> texts = passages.stream().map(HttpReranker::text).toList();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(query, texts).toString(), StandardCharsets.UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response;
    // one deadline for the whole call, connection included: the request's own timeout only
    // bounds the wait for the answer's headers
    var call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new RerankerException(name + " timed out after " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new RerankerException(name + " timed out after " + timeout.toMillis() + " ms", cause);
      }
      throw new RerankerException(name + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new RerankerException(name + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new RerankerException(name + " answered HTTP " + response.statusCode());
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RerankerException(name + " answered with malformed JSON", e);
    }
    return checked(scores(answer), passages.size());
  }

  /** What the model reads of a passage: its title and section, which the chunk was embedded with, then its text. */
  static String text(Passage p) {
    StringBuilder s = new StringBuilder();
    if (p.title() != null && !p.title().isBlank()) {
      s.append(p.title().strip()).append('\n');
    }
    if (p.section() != null && !p.section().isBlank() && !p.section().equals(p.title())) {
      s.append(p.section().strip()).append('\n');
    }
    return s.append(p.text() == null ? "" : p.text()).toString();
  }

  /** Reads {@code [{index, <scoreField>}]}. */
  static List<Scored> read(JsonNode results, String scoreField, String name) throws RerankerException {
    if (results == null || !results.isArray()) {
      throw new RerankerException(name + " answered without a list of results");
    }
    List<Scored> scored = new ArrayList<>();
    for (JsonNode r : results) {
      JsonNode index = r.get("index");
      JsonNode score = r.get(scoreField);
      if (index == null || !index.canConvertToInt() || score == null || !score.isNumber()) {
        throw new RerankerException(name + " answered a result without index or " + scoreField);
      }
      scored.add(new Scored(index.asInt(), score.asDouble()));
    }
    return scored;
  }

  /** Every passage scored exactly once, best first. */
  private List<Scored> checked(List<Scored> scores, int count) throws RerankerException {
    boolean[] seen = new boolean[count];
    for (Scored s : scores) {
      if (s.index() < 0 || s.index() >= count || seen[s.index()]) {
        throw new RerankerException(name + " answered index " + s.index() + " for " + count + " passages");
      }
      seen[s.index()] = true;
    }
    if (scores.size() != count) {
      throw new RerankerException(name + " scored " + scores.size() + " of " + count + " passages");
    }
    List<Scored> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::index));
    return List.copyOf(sorted);
  }
}
