package dev.supportagent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.answer.AnswerStreams;
import dev.supportagent.workflows.conversation.AgentReply;
import dev.supportagent.workflows.conversation.UserTurn;
import io.javalin.http.Context;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  /** How long one read waits for the first entry; short, so a refusal is seen soon after it comes. */
  static final Duration FIRST_POLL = Duration.ofMillis(50);
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

  /**
   * Sends the message ({@code send} waits for the reply) and relays its answer stream meanwhile.
   * Nothing is written until the workflow has taken the message: its first stream entry, or its
   * reply; a refusal before that (a closed conversation, a bad message) is a problem+json response.
   * The send does not wait for the Update's acceptance first: a turn runs in one workflow task,
   * which reports the acceptance only with the reply. {@code replyEvent} makes the body of the
   * closing {@code reply} event, {@code done} hears of the reply after it went out.
   */
  void relay(
      String conversationId,
      UserTurn turn,
      Supplier<AgentReply> send,
      Function<WorkflowUpdateException, ApiException> translate,
      Function<AgentReply, Object> replyEvent,
      Consumer<AgentReply> done)
      throws IOException {
    CompletableFuture<AgentReply> result = CompletableFuture.supplyAsync(send, SENDS);
    List<AnswerStreamReader.Event> first = firstEntries(conversationId, turn.messageId(), result);
    if (first.isEmpty() && result.isCompletedExceptionally()) {
      try {
        result.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof WorkflowUpdateException u) {
          throw translate.apply(u);
        }
        if (e.getCause() instanceof WorkflowNotFoundException) {
          throw ApiException.conflict("the conversation is closed");
        }
      }
    }
    ctx.status(200).contentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    out = ctx.res().getOutputStream();
    String after = null;
    boolean finished = false;
    for (AnswerStreamReader.Event e : first) {
      write(e);
      after = e.position();
      finished = AnswerStreams.DONE.equals(e.type());
    }
    if (!finished) {
      after = relayTokens(conversationId, turn.messageId(), result, after);
    }
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
    event("reply", replyEvent.apply(reply));
    done.accept(reply);
  }

  /** The sends waiting for their replies while their streams are relayed (daemon threads). */
  private static final java.util.concurrent.ExecutorService SENDS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "answer-stream-send");
            t.setDaemon(true);
            return t;
          });

  /** The stream's first entries, or none once the reply (or a refusal) came first. */
  private List<AnswerStreamReader.Event> firstEntries(
      String conversationId, String messageId, CompletableFuture<AgentReply> result) {
    while (!result.isDone()) {
      if (streaming) {
        try {
          List<AnswerStreamReader.Event> events = streams.read(conversationId, messageId, null, FIRST_POLL);
          if (!events.isEmpty()) {
            return events;
          }
          continue;
        } catch (RuntimeException e) {
          log.warn("answer stream unreadable, waiting for the reply only: {}", e.toString());
          streaming = false;
        }
      }
      try {
        result.get(POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
        // not yet, or failed: the caller looks
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  /**
   * Relays stream entries after {@code after} until the answer's done entry or the reply; returns
   * the position read up to. After the done entry it only waits for the reply.
   */
  private String relayTokens(
      String conversationId, String messageId, CompletableFuture<AgentReply> result, String after)
      throws IOException {
    long lastWrite = System.nanoTime();
    while (!result.isDone()) {
      if (!streaming) {
        awaitReply(result, POLL);
      } else {
        try {
          List<AnswerStreamReader.Event> events = streams.read(conversationId, messageId, after, POLL);
          for (AnswerStreamReader.Event e : events) {
            write(e);
            after = e.position();
            lastWrite = System.nanoTime();
            if (AnswerStreams.DONE.equals(e.type())) {
              // the filtered reply follows the answer's end within a workflow task
              awaitReply(result, KEEP_ALIVE);
            }
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

  private static void awaitReply(CompletableFuture<AgentReply> result, Duration atMost) {
    try {
      result.get(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
      // not yet, or failed: the caller looks
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
}
