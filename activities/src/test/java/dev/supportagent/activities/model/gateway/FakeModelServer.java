package dev.supportagent.activities.model.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local server speaking the streaming protocols of OpenAI's {@code /v1/chat/completions} and
 * Anthropic's {@code /v1/messages}, answering each request with the next scripted response (a
 * successful stream by default) and recording every request.
 */
public final class FakeModelServer implements AutoCloseable {

  /** One response. */
  public interface Script {
    void respond(HttpExchange exchange) throws Exception;
  }

  public record Request(String path, Map<String, List<String>> headers, String body, long atNanos) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  static final List<String> DEFAULT_TOKENS = List.of("Hel", "lo", " world");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Script> scripts = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();

  public FakeModelServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL as a chain entry gives it: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public synchronized void enqueue(Script... responses) {
    scripts.addAll(List.of(responses));
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  public synchronized int requestCount() {
    return requests.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Script script;
    synchronized (this) {
      requests.add(
          new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime()));
      script = scripts.poll();
    }
    if (script == null) {
      script = exchange.getRequestURI().getPath().endsWith("/messages") ? anthropic(DEFAULT_TOKENS) : openAi(DEFAULT_TOKENS);
    }
    try {
      script.respond(exchange);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the client went away, or the script broke the connection on purpose
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- scripts --------------------------------------------------------------------------------

  /** An OpenAI stream: a role chunk, one chunk per token, finish_reason, a usage chunk, [DONE]. */
  public static Script openAi(List<String> tokens) {
    return openAi(tokens, true);
  }

  public static Script openAi(List<String> tokens, boolean usage) {
    return exchange -> {
      OutputStream out = startSse(exchange);
      sse(out, null, openAiChunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
      for (String t : tokens) {
        sse(out, null, openAiChunk("{\"content\":" + json(t) + "}", null));
      }
      sse(out, null, openAiChunk("{}", "\"stop\""));
      if (usage) {
        sse(
            out,
            null,
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                + tokens.size()
                + ",\"total_tokens\":"
                + (12 + tokens.size())
                + "}}");
      }
      sse(out, null, "[DONE]");
    };
  }

  /** An OpenAI stream that sends its tokens and then simply ends: no finish_reason, no [DONE]. */
  public static Script openAiEndingEarly(List<String> tokens) {
    return exchange -> {
      OutputStream out = startSse(exchange);
      for (String t : tokens) {
        sse(out, null, openAiChunk("{\"content\":" + json(t) + "}", null));
      }
    };
  }

  /** An OpenAI stream whose connection breaks after the tokens (the body is cut short). */
  public static Script openAiBreakingAfter(List<String> tokens) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 1_000_000);
      OutputStream out = exchange.getResponseBody();
      for (String t : tokens) {
        sse(out, null, openAiChunk("{\"content\":" + json(t) + "}", null));
      }
      // closing a fixed-length body short of its length drops the connection
    };
  }

  /** An OpenAI stream that sends the tokens and then goes quiet for {@code stall}. */
  public static Script openAiStallingAfter(List<String> tokens, Duration stall) {
    return exchange -> {
      OutputStream out = startSse(exchange);
      for (String t : tokens) {
        sse(out, null, openAiChunk("{\"content\":" + json(t) + "}", null));
      }
      Thread.sleep(stall.toMillis());
    };
  }

  /** Anthropic's event sequence, with usage in message_start and message_delta. */
  public static Script anthropic(List<String> tokens) {
    return exchange -> {
      OutputStream out = startSse(exchange);
      sse(
          out,
          "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
              + "\"content\":[],\"model\":\"claude-test\",\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
      sse(
          out,
          "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      sse(out, "ping", "{\"type\":\"ping\"}");
      for (String t : tokens) {
        sse(
            out,
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                + json(t)
                + "}}");
      }
      sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      sse(
          out,
          "message_delta",
          "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
              + "\"usage\":{\"output_tokens\":"
              + (tokens.size() + 4)
              + "}}");
      sse(out, "message_stop", "{\"type\":\"message_stop\"}");
    };
  }

  /** An error status with a JSON body and the given headers (name, value, ...). */
  public static Script status(int code, String... headers) {
    return exchange -> {
      for (int i = 0; i < headers.length; i += 2) {
        exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
      }
      byte[] body =
          ("{\"error\":{\"message\":\"scripted " + code + "\",\"type\":\"test\"}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /** An OpenAI stream whose chunks after {@code tokens} are not JSON. */
  public static Script openAiMalformedAfter(List<String> tokens) {
    return exchange -> {
      OutputStream out = startSse(exchange);
      for (String t : tokens) {
        sse(out, null, openAiChunk("{\"content\":" + json(t) + "}", null));
      }
      sse(out, null, "{\"choices\": [{\"delta\": {\"content\": \"oops");
      sse(out, null, "[DONE]");
    };
  }

  /** {@code script}, after waiting {@code delay} before answering at all. */
  public static Script delayed(Duration delay, Script script) {
    return exchange -> {
      Thread.sleep(delay.toMillis());
      script.respond(exchange);
    };
  }

  /** No response at all for {@code d}. */
  public static Script hang(Duration d) {
    return exchange -> Thread.sleep(d.toMillis());
  }

  private static OutputStream startSse(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void sse(OutputStream out, String event, String data) throws IOException {
    String frame = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String openAiChunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + finishReason
        + "}]}";
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
