package dev.supportagent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.answer.AnswerStreams;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.UserTurn;
import io.javalin.http.Context;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a message as server-sent events, written from the POST handler (Javalin's {@code sse()}
 * serves GET only): {@code token} events ({@code {"text": ...}}) as the answer activity streams
 * them, {@code reset} when an attempt is voided (the client clears what it showed), then the
 * authoritative {@code reply} event (the same body as the JSON response: the filtered final
 * answer, which replaces what was streamed), or an {@code error} event with a problem object.
 * Problems found before the stream starts (a closed conversation, a bad message) are ordinary
 * problem+json responses.
 */
final class AnswerEventStream {

  private static final Logger log = LoggerFactory.getLogger(AnswerEventStream.class);
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

  private final Context ctx;
  private final ObjectMapper json;
  private final AnswerStreamReader streams;
  private OutputStream out;
  /** Whether the token stream is read; false after Redis failed us. */
  private boolean streaming = true;
  /** When the first token event was sent (System.nanoTime), 0 before. */
  private long firstTokenAt;

  AnswerEventStream(Context ctx, ObjectMapper json, AnswerStreamReader streams) {
    this.ctx = ctx;
    this.json = json;
    this.streams = streams;
  }

  void relay(
      String conversationId,
      UserTurn turn,
      Supplier<WorkflowUpdateHandle<AgentReply>> start,
      Function<WorkflowUpdateException, ApiException> translate,
      Consumer<AgentReply> done)
      throws IOException {
    WorkflowUpdateHandle<AgentReply> handle;
    try {
      handle = start.get();
    } catch (WorkflowUpdateException e) {
      throw translate.apply(e);
    } catch (WorkflowNotFoundException e) {
      throw ApiException.conflict("the conversation is closed");
    }
    CompletableFuture<AgentReply> result = handle.getResultAsync();
    if (result.isCompletedExceptionally()) {
      // refused by the workflow's validator (a closed conversation): a problem, not a stream
      try {
        result.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof WorkflowUpdateException u) {
          throw translate.apply(u);
        }
      }
    }
    ctx.status(200).contentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    out = ctx.res().getOutputStream();
    String after = relayTokens(conversationId, turn.messageId(), result);
    AgentReply reply;
    try {
      reply = result.get();
    } catch (ExecutionException e) {
      ApiException problem =
          e.getCause() instanceof WorkflowUpdateException u
              ? translate.apply(u)
              : new ApiException(503, "unavailable", "Service unavailable",
                  "the message could not be answered; retry with the same messageId");
      event("error", ErrorMapping.problem(ctx, problem));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    relayAvailable(conversationId, turn.messageId(), after);
    event("reply", Map.of("reply", reply));
    done.accept(reply);
  }

  /** Relays stream entries until the reply is ready; returns the position read up to (null: none). */
  private String relayTokens(String conversationId, String messageId, CompletableFuture<AgentReply> result)
      throws IOException {
    String after = null;
    long lastWrite = System.nanoTime();
    while (!result.isDone()) {
      if (!streaming) {
        sleep(POLL);
      } else {
        try {
          List<AnswerStreamReader.Event> events = streams.read(conversationId, messageId, after, POLL);
          for (AnswerStreamReader.Event e : events) {
            write(e);
            after = e.position();
            lastWrite = System.nanoTime();
          }
        } catch (RuntimeException e) {
          // the reply still comes, whole, at the end: only the live tokens are lost
          log.warn("answer stream unreadable, waiting for the reply only: {}", e.toString());
          streaming = false;
        }
      }
      if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
        send(": keep-alive\n\n");
        lastWrite = System.nanoTime();
      }
    }
    return after;
  }

  /** Entries appended between the last read and the reply (the last sentence, usually). */
  private void relayAvailable(String conversationId, String messageId, String after) throws IOException {
    if (!streaming) {
      return;
    }
    try {
      for (AnswerStreamReader.Event e : streams.read(conversationId, messageId, after, null)) {
        write(e);
      }
    } catch (RuntimeException e) {
      log.warn("answer stream unreadable at the end: {}", e.toString());
    }
  }

  /** When the first token event was sent, as {@link System#nanoTime()}; 0 when none was. */
  long firstTokenAt() {
    return firstTokenAt;
  }

  private void write(AnswerStreamReader.Event e) throws IOException {
    switch (e.type()) {
      case AnswerStreams.TOKEN -> {
        event("token", Map.of("text", e.text()));
        if (firstTokenAt == 0) {
          firstTokenAt = System.nanoTime();
        }
      }
      case AnswerStreams.RESET -> event("reset", Map.of());
      default -> { } // done: the reply event ends the stream
    }
  }

  private void event(String name, Object data) throws IOException {
    send("event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n");
  }

  private void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
