package dev.supportagent.evaluation.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import dev.supportagent.evaluation.bench.FaultSchedule.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A local OpenAI-compatible model server for benchmarks: {@code POST /v1/chat/completions} answers
 * with a streamed completion (server-sent events: a chunk per token in {@code
 * choices[0].delta.content}, a chunk with {@code finish_reason}, one with {@code usage}, then
 * {@code [DONE]}), after a set delay before the first token and between tokens, failing the
 * requests its {@link FaultSchedule} picks. The settings can change between requests. Every
 * request is reported, with its timings, to an observer.
 *
 * <p>Point a worker at it with {@code SUPPORT_MODEL_FAST=openai:NAME@http://127.0.0.1:PORT/v1}
 * (any model name; no key is needed). Standalone: {@code java -cp support-evaluation.jar
 * dev.supportagent.evaluation.bench.FakeProvider --port P [--first-token-ms D] [--token-gap-ms G]
 * [--fail-rate R] [--seed S]} serves until killed.
 */
public final class FakeProvider implements AutoCloseable {

  /**
   * The answer by default. Its first token ends a sentence, so the answer activity, which holds
   * tokens back until a sentence ends (to mask personal data whole), passes it on at once.
   */
  public static final List<String> DEFAULT_TOKENS =
      List.of("Refunds take 14 days. ", "Start one from ", "Orders > Refunds ", "in the app. [1]");

  /**
   * How the server answers.
   *
   * @param firstToken from receiving a request to sending its first token (the response headers go
   *     with it, as a provider that answers only once it has a token)
   * @param tokenGap between two tokens
   * @param tokens the answer, one streamed chunk each
   * @param faults which requests fail
   */
  public record Settings(Duration firstToken, Duration tokenGap, List<String> tokens, FaultSchedule faults) {
    public Settings {
      if (firstToken.isNegative() || tokenGap.isNegative()) {
        throw new IllegalArgumentException("delays must not be negative");
      }
      tokens = List.copyOf(tokens);
      if (tokens.isEmpty()) {
        throw new IllegalArgumentException("an answer needs at least one token");
      }
      Objects.requireNonNull(faults, "faults");
    }

    public static Settings of(Duration firstToken, Duration tokenGap) {
      return new Settings(firstToken, tokenGap, DEFAULT_TOKENS, FaultSchedule.NONE);
    }

    public Settings withFaults(FaultSchedule faults) {
      return new Settings(firstToken, tokenGap, tokens, faults);
    }
  }

  /**
   * One request, reported once its first token was flushed or its failure decided, so before the
   * client can have the whole answer. Times are {@link System#nanoTime()} in this process.
   *
   * @param firstTokenNanos when the first token was flushed; 0 for a request failed before any
   * @param body the request body as received
   */
  public record Served(Fault fault, long receivedNanos, long firstTokenNanos, String body) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Consumer<Served> observer;
  private volatile Settings settings;

  private FakeProvider(HttpServer server, Settings settings, Consumer<Served> observer) {
    this.server = server;
    this.settings = settings;
    this.observer = observer;
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-provider");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts serving on loopback.
   *
   * @param port the port, or 0 for any free one
   * @param observer told of every request, on the server's threads (see {@link Served})
   */
  public static FakeProvider start(int port, Settings settings, Consumer<Served> observer) throws IOException {
    // Without TCP_NODELAY a token written after the headers waits for the client's delayed ACK
    // (40 ms on Linux), which no provider's server would add. The JDK server reads this property
    // once, when its first server is created in the process.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    FakeProvider provider = new FakeProvider(server, settings, observer);
    server.start();
    return provider;
  }

  /** The base URL for a chain entry: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Applies to requests received from now on. */
  public void configure(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long received = System.nanoTime();
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
        error(exchange, 404, "only POST /v1/chat/completions is served here");
        return;
      }
      Settings s = settings;
      Fault fault = s.faults().next();
      LongConsumer report = firstToken -> observer.accept(new Served(fault, received, firstToken, body));
      try {
        switch (fault) {
          case HTTP_500 -> {
            report.accept(0);
            error(exchange, 500, "injected failure");
          }
          case BROKEN_STREAM -> streamAndBreak(exchange, s, report);
          case NONE -> stream(exchange, s, body, report);
        }
      } catch (IOException clientWentAway) {
        // the gateway abandoned the attempt (a timeout, a cancelled activity): nothing to answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The whole answer, reporting when its first token was flushed. */
  private static void stream(HttpExchange exchange, Settings s, String requestBody, LongConsumer report)
      throws IOException, InterruptedException {
    sleep(s.firstToken());
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    write(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
    for (int i = 0; i < s.tokens().size(); i++) {
      if (i > 0) {
        sleep(s.tokenGap());
      }
      write(out, chunk("{\"content\":" + json(s.tokens().get(i)) + "}", null));
      out.flush();
      if (i == 0) {
        report.accept(System.nanoTime());
      }
    }
    write(out, chunk("{}", "\"stop\""));
    // about four characters a token: a plausible count, so the gateway need not estimate one
    int in = Math.max(1, requestBody.length() / 4);
    int completion = s.tokens().size();
    write(
        out,
        "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + completion
            + ",\"total_tokens\":" + (in + completion) + "}}");
    write(out, "[DONE]");
    out.flush();
  }

  /** The first token, then the connection drops: a fixed-length body closed short of its length. */
  private static void streamAndBreak(HttpExchange exchange, Settings s, LongConsumer report)
      throws IOException, InterruptedException {
    sleep(s.firstToken());
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 1_000_000);
    OutputStream out = exchange.getResponseBody();
    write(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
    write(out, chunk("{\"content\":" + json(s.tokens().get(0)) + "}", null));
    out.flush();
    report.accept(System.nanoTime());
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body =
        ("{\"error\":{\"message\":" + json(message) + ",\"type\":\"server_error\"}}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void write(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    Settings settings;
    int port;
    try {
      options = Options.parse(args, Set.of("--port", "--first-token-ms", "--token-gap-ms", "--fail-rate", "--seed"));
      port = options.integer("--port", 0, 0);
      settings =
          Settings.of(
                  Duration.ofMillis(options.integer("--first-token-ms", 300, 0)),
                  Duration.ofMillis(options.integer("--token-gap-ms", 20, 0)))
              .withFaults(
                  new FaultSchedule(
                      options.fraction("--fail-rate", 0), options.integer("--seed", 1, 0)));
    } catch (UsageException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: FakeProvider --port P [--first-token-ms 300] [--token-gap-ms 20] [--fail-rate 0] [--seed 1]");
      System.exit(2);
      return;
    }
    try (FakeProvider provider = start(port, settings, served -> {})) {
      System.err.println("fake OpenAI-compatible provider on " + provider.baseUrl() + " (" + settings.firstToken().toMillis()
          + " ms to the first token, fail rate " + settings.faults().failRate() + ")");
      new CountDownLatch(1).await();
    }
  }
}
