package dev.supportagent.activities.model.gateway;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.output.TokenUsage;
import dev.supportagent.activities.model.OfflineAnswerer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The model gateway: answers a request with the first entry of a tier's fallback chain that can,
 * streaming the answer as it comes.
 *
 * <p>For each entry in order: an entry whose circuit breaker is open is skipped without a request;
 * otherwise the request is streamed, and a retriable failure (429, 5xx, timeout, connection error,
 * broken stream) is retried on the same entry up to {@link RetryPolicy#MAX_ATTEMPTS_PER_ENDPOINT}
 * times with jittered backoff or the provider's Retry-After, before falling back to the next entry.
 * Any other 4xx falls back at once. The {@code offline} entry ends every chain and always answers.
 * When an attempt fails after streaming tokens, the listener gets {@link StreamListener#reset()}
 * before anything of the next attempt, so a client never sees two answers mixed.
 *
 * <p>One instance serves the whole worker; it is thread-safe and keeps one langchain4j model (and
 * HTTP client) per chain entry.
 */
public final class ModelGateway {

  private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=\\s)(?=\\S)");

  private final ModelGatewayConfig config;
  private final CircuitBreaker breaker;
  private final ModelPrices prices;
  private final RetryPolicy retryPolicy;
  private final GatewayTimeouts timeouts;
  private final TokenCountEstimator estimator;
  private final ModelCallSpans spans;
  private final GatewayMetrics metrics;
  private final Map<ModelEndpoint, StreamingChatModel> models = new HashMap<>();

  private ModelGateway(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.breaker = b.breaker != null ? b.breaker : new InMemoryCircuitBreaker(CircuitBreaker.Settings.DEFAULT);
    this.prices = b.prices != null ? b.prices : ModelPrices.load(config.pricesFile());
    this.retryPolicy = b.retryPolicy != null ? b.retryPolicy : RetryPolicy.DEFAULT;
    this.timeouts = b.timeouts != null ? b.timeouts : GatewayTimeouts.DEFAULT;
    // loaded here, at start, rather than on the first call that needs it (about a second)
    this.estimator = b.estimator != null ? b.estimator : new HuggingFaceTokenCountEstimator();
    this.spans = new ModelCallSpans(b.tracer != null ? b.tracer : OpenTelemetry.noop().getTracer("dev.supportagent"));
    List<ModelEndpoint> endpoints = new ArrayList<>();
    for (ModelTier tier : ModelTier.values()) {
      endpoints.addAll(config.chain(tier));
    }
    this.metrics = b.meter == null ? GatewayMetrics.NONE : GatewayMetrics.create(b.meter, breaker, endpoints);
    for (ModelTier tier : ModelTier.values()) {
      for (ModelEndpoint endpoint : config.chain(tier)) {
        if (!endpoint.offline() && !models.containsKey(endpoint)) {
          models.put(
              endpoint,
              ProviderModels.create(endpoint, config.apiKey(endpoint.provider()), timeouts.firstToken()));
        }
      }
    }
  }

  public static Builder builder(ModelGatewayConfig config) {
    return new Builder(config);
  }

  public ModelGatewayConfig config() {
    return config;
  }

  /**
   * Answers {@code request} with the tier's chain, streaming to {@code listener}.
   *
   * <p>Not idempotent: each call makes new model requests, and a retried call may be worded
   * differently. Blocks the calling thread, on which {@code listener} is called, until the answer
   * is complete; it takes at most about {@link GatewayTimeouts#callDeadline()} plus the offline
   * answer.
   *
   * @param offline answers when every model entry has failed or been skipped; it may use the
   *     turn's context (the retrieved passages) that the prompt was built from
   * @throws CancellationException when the thread is interrupted
   * @throws RuntimeException whatever {@code offline} or {@code listener} throws
   */
  public GatewayResponse generate(
      ModelTier tier, GatewayRequest request, OfflineProvider offline, StreamListener listener) {
    long start = System.nanoTime();
    long deadline = start + timeouts.callDeadline().toNanos();
    List<ModelCall.Fallback> fallbacks = new ArrayList<>();
    int attempts = 0;
    ChatRequest chatRequest = toChatRequest(request);
    for (ModelEndpoint endpoint : config.chain(tier)) {
      if (endpoint.offline()) {
        return answerOffline(tier, request, offline, listener, start, attempts + 1, fallbacks);
      }
      String key = endpoint.breakerKey();
      int tries = 0;
      String reason = null;
      while (reason == null) {
        Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
        if (remaining.isNegative() || remaining.isZero()) {
          reason = "call deadline reached";
          break;
        }
        if (!breaker.tryAcquire(key)) {
          reason = tries == 0 ? "circuit open" : "circuit opened";
          break;
        }
        tries++;
        attempts++;
        Attempt attempt = new Attempt(models.get(endpoint), chatRequest, listener, deadline);
        Span span = spans.start(endpoint.provider().id(), endpoint.model(), tier, request, attempts, fallbacks.size());
        Outcome outcome = run(attempt, span);
        if (outcome.failure == null) {
          breaker.recordSuccess(key);
          if (attempt.firstTokenAt != 0) {
            metrics.firstToken(tier, endpoint.provider().id(), endpoint.model(), attempt.firstTokenAt - start);
          }
          return ModelCallSpans.answered(
              span, success(tier, endpoint, request, outcome, start, attempts, fallbacks),
              outcome.response.modelName(),
              outcome.response.finishReason() == null ? null : outcome.response.finishReason().name());
        }
        ModelCallSpans.failed(span, outcome.failure);
        metrics.providerError(endpoint, outcome.failure);
        if (outcome.tokens > 0) {
          listener.reset();
        }
        if (outcome.failure.countsAgainstEndpoint()) {
          breaker.recordFailure(key);
        }
        RetryPolicy.Decision decision =
            retryPolicy.decide(outcome.failure, tries, Duration.ofNanos(deadline - System.nanoTime()));
        if (!decision.retry()) {
          reason = decision.reason();
        } else {
          sleep(decision.delay());
        }
      }
      fallbacks.add(new ModelCall.Fallback(endpoint.spec(), reason, tries));
    }
    throw new IllegalStateException("chain of " + tier + " does not end in offline: " + config.chain(tier));
  }

  /** Runs one attempt with its span current; the caller ends the span unless the attempt threw. */
  private static Outcome run(Attempt attempt, Span span) {
    try (Scope ignored = span.makeCurrent()) {
      return attempt.run();
    } catch (RuntimeException e) {
      ModelCallSpans.failed(span, e);
      throw e;
    }
  }

  private GatewayResponse success(
      ModelTier tier,
      ModelEndpoint endpoint,
      GatewayRequest request,
      Outcome outcome,
      long start,
      int attempts,
      List<ModelCall.Fallback> fallbacks) {
    TokenUsage usage = outcome.response.tokenUsage();
    Integer reportedIn = usage == null ? null : usage.inputTokenCount();
    Integer reportedOut = usage == null ? null : usage.outputTokenCount();
    long in = reportedIn != null ? reportedIn : estimateIn(request);
    long out = reportedOut != null ? reportedOut : estimator.estimateTokenCountInText(outcome.text);
    Optional<ModelPrices.Price> price = prices.price(endpoint.provider(), endpoint.model());
    ModelCall call =
        new ModelCall(
            endpoint.provider().id(),
            endpoint.model(),
            tier,
            in,
            out,
            reportedIn == null || reportedOut == null,
            price.map(p -> p.cost(in, out)).orElse(0.0),
            price.isPresent(),
            elapsedMs(start),
            attempts,
            fallbacks);
    return new GatewayResponse(outcome.text, call);
  }

  /**
   * Answers with {@code offline} alone, streamed word by word like a model's answer: for turns the
   * router sends to no model (a spent budget). The call is recorded under {@code tier}.
   */
  public GatewayResponse generateOffline(
      ModelTier tier, GatewayRequest request, OfflineProvider offline, StreamListener listener) {
    return answerOffline(tier, request, offline, listener, System.nanoTime(), 1, List.of());
  }

  private GatewayResponse answerOffline(
      ModelTier tier,
      GatewayRequest request,
      OfflineProvider offline,
      StreamListener listener,
      long start,
      int attempts,
      List<ModelCall.Fallback> fallbacks) {
    Span span = spans.start(ProviderKind.OFFLINE.id(), OfflineAnswerer.MODEL, tier, request, attempts, fallbacks.size());
    String text;
    try (Scope ignored = span.makeCurrent()) {
      text = offline.answer(request);
      metrics.firstToken(tier, ProviderKind.OFFLINE.id(), OfflineAnswerer.MODEL, System.nanoTime() - start);
      for (String word : WORD_BOUNDARY.split(text)) {
        if (!word.isEmpty()) {
          listener.token(word);
        }
      }
    } catch (RuntimeException e) {
      ModelCallSpans.failed(span, e);
      throw e;
    }
    ModelCall call =
        new ModelCall(
            ProviderKind.OFFLINE.id(),
            OfflineAnswerer.MODEL,
            tier,
            estimateIn(request),
            estimator.estimateTokenCountInText(text),
            true,
            0.0,
            true,
            elapsedMs(start),
            attempts,
            fallbacks);
    return ModelCallSpans.answered(span, new GatewayResponse(text, call), OfflineAnswerer.MODEL, null);
  }

  private long estimateIn(GatewayRequest request) {
    TokenCountEstimator e = estimator;
    long n = request.systemPrompt() == null ? 0 : e.estimateTokenCountInText(request.systemPrompt());
    for (GatewayRequest.Message m : request.messages()) {
      n += e.estimateTokenCountInText(m.text());
    }
    return n;
  }

  private static ChatRequest toChatRequest(GatewayRequest request) {
    List<ChatMessage> messages = new ArrayList<>();
    if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
      messages.add(SystemMessage.from(request.systemPrompt()));
    }
    for (GatewayRequest.Message m : request.messages()) {
      messages.add(
          m.role() == GatewayRequest.Role.USER ? UserMessage.from(m.text()) : AiMessage.from(m.text()));
    }
    return ChatRequest.builder()
        .messages(messages)
        .maxOutputTokens(request.maxTokens())
        .temperature(request.temperature())
        .build();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while backing off");
    }
  }

  /** How one attempt ended: a response, or a failure, after {@code tokens} streamed tokens. */
  private record Outcome(ChatResponse response, String text, ProviderFailure failure, int tokens) {}

  /** One streamed request: events from langchain4j's threads, relayed on the caller's thread. */
  private final class Attempt implements StreamingChatResponseHandler {
    private sealed interface Event permits Token, Done, Failed {}

    private record Token(String text) implements Event {}

    private record Done(ChatResponse response) implements Event {}

    private record Failed(Throwable error) implements Event {}

    private final StreamingChatModel model;
    private final ChatRequest request;
    private final StreamListener listener;
    private final long deadline;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ObservedHttpClient.Observation observation = new ObservedHttpClient.Observation();
    private volatile boolean abandoned;
    /** When the first token was relayed (System.nanoTime), 0 before. */
    private long firstTokenAt;

    Attempt(StreamingChatModel model, ChatRequest request, StreamListener listener, long deadline) {
      this.model = model;
      this.request = request;
      this.listener = listener;
      this.deadline = deadline;
    }

    Outcome run() {
      boolean finished = false;
      try {
        ObservedHttpClient.OBSERVATION.set(observation);
        try {
          model.chat(request, this);
        } catch (RuntimeException e) {
          events.add(new Failed(e));
        } finally {
          ObservedHttpClient.OBSERVATION.remove();
        }
        Outcome outcome = relay();
        finished = outcome.failure == null;
        return outcome;
      } finally {
        if (!finished) {
          abandoned = true;
          observation.abort();
        }
      }
    }

    private Outcome relay() {
      StringBuilder text = new StringBuilder();
      int tokens = 0;
      long firstTokenBy = System.nanoTime() + timeouts.firstToken().toNanos();
      long waitUntil = Math.min(firstTokenBy, deadline);
      while (true) {
        Event event;
        try {
          event = events.poll(waitUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancellationException("interrupted while waiting for the model");
        }
        if (event == null) {
          String detail =
              waitUntil == deadline
                  ? "call deadline reached"
                  : tokens == 0
                      ? "no token within " + timeouts.firstToken().toMillis() + " ms"
                      : "no token for " + timeouts.idle().toMillis() + " ms";
          return new Outcome(null, null, ProviderFailure.timeout(detail), tokens);
        }
        if (event instanceof Token t) {
          if (tokens == 0) {
            firstTokenAt = System.nanoTime();
          }
          listener.token(t.text());
          text.append(t.text());
          tokens++;
          waitUntil = Math.min(System.nanoTime() + timeouts.idle().toNanos(), deadline);
        } else if (event instanceof Done d) {
          if (d.response().finishReason() == null) {
            // langchain4j completes a stream that simply ends, without [DONE] or message_stop
            return new Outcome(
                null, null, ProviderFailure.streamBroken("ended without a finish reason"), tokens);
          }
          return new Outcome(d.response(), text.toString(), null, tokens);
        } else if (event instanceof Failed f) {
          return new Outcome(
              null,
              null,
              ProviderFailure.classify(f.error(), observation.status(), observation.headers(), tokens > 0),
              tokens);
        }
      }
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
      if (abandoned) {
        context.streamingHandle().cancel();
        return;
      }
      onPartialResponse(partialResponse.text());
    }

    @Override
    public void onPartialResponse(String partialResponse) {
      if (!abandoned && partialResponse != null && !partialResponse.isEmpty()) {
        events.add(new Token(partialResponse));
      }
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      events.add(new Done(completeResponse));
    }

    @Override
    public void onError(Throwable error) {
      events.add(new Failed(error));
    }
  }

  /** Builds a gateway; every setting but the configuration has a default. */
  public static final class Builder {
    private final ModelGatewayConfig config;
    private CircuitBreaker breaker;
    private ModelPrices prices;
    private RetryPolicy retryPolicy;
    private GatewayTimeouts timeouts;
    private TokenCountEstimator estimator;
    private Tracer tracer;
    private Meter meter;

    private Builder(ModelGatewayConfig config) {
      this.config = config;
    }

    /** Default: in memory, {@link CircuitBreaker.Settings#DEFAULT}; give workers a shared one. */
    public Builder circuitBreaker(CircuitBreaker breaker) {
      this.breaker = breaker;
      return this;
    }

    /** Default: the built-in table with the config's overrides. */
    public Builder prices(ModelPrices prices) {
      this.prices = prices;
      return this;
    }

    /** Default: {@link RetryPolicy#DEFAULT}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** Default: {@link GatewayTimeouts#DEFAULT}. */
    public Builder timeouts(GatewayTimeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    /**
     * Counts tokens when a provider reports no usage, and for the offline answer. Default: {@link
     * HuggingFaceTokenCountEstimator}, a BERT WordPiece tokenizer, which approximates but does not
     * equal the providers' own tokenizers.
     */
    public Builder tokenCountEstimator(TokenCountEstimator estimator) {
      this.estimator = estimator;
      return this;
    }

    /**
     * Traces each model request, and the offline answer, as a {@code chat <model>} span with GenAI
     * attributes ({@link ModelCallSpans}). Default: no spans.
     */
    public Builder tracer(Tracer tracer) {
      this.tracer = tracer;
      return this;
    }

    /**
     * Where provider errors, time to first token and the breakers' states are recorded ({@link
     * GatewayMetrics}). Default: nowhere.
     */
    public Builder meter(Meter meter) {
      this.meter = meter;
      return this;
    }

    public ModelGateway build() {
      return new ModelGateway(this);
    }
  }
}
