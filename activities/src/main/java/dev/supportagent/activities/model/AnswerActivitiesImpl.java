package dev.supportagent.activities.model;

import dev.supportagent.activities.filter.OutputFilter;
import dev.supportagent.activities.filter.OutputGuard;
import dev.supportagent.activities.filter.OutputGuardConfig;
import dev.supportagent.activities.model.gateway.GatewayRequest;
import dev.supportagent.activities.model.gateway.GatewayResponse;
import dev.supportagent.activities.model.cache.AnswerCache;
import dev.supportagent.activities.model.cache.CacheHit;
import dev.supportagent.activities.model.cache.CachePolicy;
import dev.supportagent.activities.model.cache.CachedAnswer;
import dev.supportagent.activities.model.gateway.ModelCall;
import dev.supportagent.activities.model.gateway.ModelEndpoint;
import dev.supportagent.activities.model.gateway.ModelGateway;
import dev.supportagent.activities.model.gateway.ModelGatewayConfig;
import dev.supportagent.activities.model.gateway.ModelTier;
import dev.supportagent.activities.model.gateway.OfflineProvider;
import dev.supportagent.activities.pii.PlaceholderMapping;
import dev.supportagent.activities.pii.Redactor;
import dev.supportagent.activities.telemetry.StageTimer;
import dev.supportagent.workflows.FailureType;
import dev.supportagent.workflows.answer.AnswerActivities;
import dev.supportagent.workflows.answer.AnswerRequest;
import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.HistoryMessage;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.retrieval.Passage;
import io.opentelemetry.api.OpenTelemetry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a turn: the {@link TurnRouter} picks a tier (or no model) from the question, retrieval
 * confidence, earlier failures and the budgets; the conversation's prompt version comes from the
 * {@link PromptSplit}; the {@link ModelGateway} streams the answer through the tier's fallback
 * chain, offline last; the tokens go out sentence by sentence through the {@link
 * AnswerStreamWriter}; the cost is added to the budgets and the call to the metrics.
 *
 * <p>Personal data: before a model is called, the customer's messages (the question and the
 * earlier turns) are redacted by the {@link Redactor}: typed placeholders ({@code [EMAIL_1]}) go
 * to the provider, and the {@link PlaceholderMapping} stays in this method's frame for the one
 * call, never in the activity's result, a log or a trace. Streamed sentences and the final reply
 * get the customer's values back, then the {@link OutputGuard} checks the reply against the raw
 * messages, the passages and the prompt (its verdicts are counted in {@code
 * support_guard_verdicts}). The offline answerer reads the raw text: nothing leaves the process.
 */
public class AnswerActivitiesImpl implements AnswerActivities {

  private static final Logger log = LoggerFactory.getLogger(AnswerActivitiesImpl.class);

  static final int MAX_OUTPUT_TOKENS = 400;
  static final double TEMPERATURE = 0.2;

  /** Opens the stream a turn's tokens are appended to. */
  public interface StreamSinks {
    AnswerStreamWriter.Sink open(String conversationId, String messageId);

    StreamSinks NONE = (c, m) -> AnswerStreamWriter.Sink.NONE;
  }

  /** What the activity is built from. */
  public record Parts(
      OfflineAnswerer offline,
      ModelGateway gateway,
      TurnRouter router,
      CostBudget budget,
      PromptTemplates prompts,
      PromptSplit split,
      OutputFilter filter,
      StreamSinks streams,
      AnswerCache cache,
      Supplier<Optional<String>> kbVersion,
      Redactor redactor,
      OutputGuard outputGuard) {

    /** Without an answer cache, with the default redactor and output guard (metrics not exported). */
    public Parts(
        OfflineAnswerer offline, ModelGateway gateway, TurnRouter router, CostBudget budget, PromptTemplates prompts,
        PromptSplit split, OutputFilter filter, StreamSinks streams) {
      this(offline, gateway, router, budget, prompts, split, filter, streams, null, Optional::empty,
          Redactor.forModelCalls(),
          new OutputGuard(OutputGuardConfig.defaults(), OpenTelemetry.noop().getMeter("dev.supportagent")));
    }
  }

  private final Parts parts;
  private final StageTimer timer;
  private final ModelMetrics metrics;

  public AnswerActivitiesImpl(Parts parts, StageTimer timer, OpenTelemetry telemetry) {
    this.parts = parts;
    this.timer = timer;
    this.metrics = new ModelMetrics(telemetry);
  }

  /** The offline answerer alone, nothing streamed: for tests and tools. */
  public AnswerActivitiesImpl(OfflineAnswerer offline, StageTimer timer) {
    this(offlineParts(offline), timer, OpenTelemetry.noop());
  }

  public static Parts offlineParts(OfflineAnswerer offline) {
    PromptSplit split = PromptSplit.parse(PromptTemplates.DEFAULT_VERSION);
    return new Parts(
        offline,
        ModelGateway.builder(ModelGatewayConfig.offlineOnly()).build(),
        new TurnRouter(new TurnRouter.Budgets(0, 0), 0),
        CostBudget.inMemory(),
        new PromptTemplates(split.versions()),
        split,
        new OutputFilter(),
        StreamSinks.NONE);
  }

  @Override
  public GeneratedAnswer generate(AnswerRequest request) {
    if (request.question() == null || request.question().isBlank()) {
      throw FailureType.INVALID_REQUEST.failure("question must not be empty");
    }
    Map<String, Long> steps = new LinkedHashMap<>();
    steps.put("answer_started", System.currentTimeMillis());
    var timed = timer.time("generation", () -> answer(request, steps));
    steps.put("generation_done", timed.endedAtMs());
    return timed.value().withDuration(timed.durationMs()).withTimeline(steps);
  }

  private GeneratedAnswer answer(AnswerRequest request, Map<String, Long> steps) {
    ActivityExecutionContext activity = activityContext();
    // the first heartbeat is a blocking call to Temporal (3 to 5 ms): it waits for the first
    // sentence, already appended to the stream by then, rather than delay the model's request; the
    // heartbeat timeout counts from the attempt's start either way
    Runnable heartbeat = activity == null ? () -> {} : () -> activity.heartbeat(null);
    // holds the customer's raw values for this call only: see the class comment
    PlaceholderMapping mapping = new PlaceholderMapping();
    AnswerStreamWriter.Sink sink =
        request.messageId() == null
            ? AnswerStreamWriter.Sink.NONE
            : parts.streams().open(request.conversationId(), request.messageId());
    AnswerStreamWriter stream =
        new AnswerStreamWriter(
            sink,
            sentence -> parts.filter().filter(sentence, customerMessages(request), passageTexts(request)).text(),
            heartbeat,
            sentence -> Redactor.restore(sentence, mapping));
    // a retry, or the turn run again after its worker died (a local activity starts at attempt 1
    // then): what the client was shown is void
    if ((activity != null && activity.getInfo().getAttempt() > 1) || sink.hasEntries()) {
      stream.voidEarlierAttempt();
    }

    PromptTemplates.Prompt prompt = parts.prompts().get(parts.split().versionFor(request.conversationId()));
    TurnRouter.Route route = parts.router().route(request, parts.budget().spent(request.conversationId()));

    // the cache: only a first question with no personal data, answered from the current KB
    Optional<String> kbVersion = Optional.empty();
    String cacheKey = null;
    if (parts.cache() != null && route.tier() != null) {
      boolean earlier = !request.conversation().isEmpty() || !request.customerContext().isEmpty();
      if (CachePolicy.eligible(request.question(), earlier, false)) {
        kbVersion = parts.kbVersion().get();
        cacheKey = prompt.version() + "|" + parts.gateway().config().chain(route.tier()).stream()
            .map(ModelEndpoint::spec).reduce((a, b) -> a + "," + b).orElse("");
      }
    }
    if (kbVersion.isPresent()) {
      Optional<CacheHit> hit = parts.cache().find(request.question(), kbVersion.get(), cacheKey);
      if (hit.isPresent()) {
        CachedAnswer cached = hit.get().answer();
        for (String word : cached.text().split("(?<=\\s)(?=\\S)")) {
          stream.token(word);
        }
        stream.finish();
        return new GeneratedAnswer(
            cached.text(), cached.citations(), false, cached.model(), "cache", prompt.version(), 0, 0, 0, 0,
            "cache", 0, List.of());
      }
    }
    GatewayRequest gatewayRequest =
        gatewayRequest(withCustomerContext(prompt.systemPrompt(), request),
            route.tier() == null ? request : redacted(request, mapping));
    GeneratedAnswer[] offlineAnswer = new GeneratedAnswer[1];
    OfflineProvider offline =
        r -> {
          offlineAnswer[0] = parts.offline().answer(
              request.question(), request.conversation(), request.passages(), request.relevant());
          return offlineAnswer[0].text();
        };
    steps.put("model_called", System.currentTimeMillis());
    GatewayResponse response =
        route.tier() == null
            ? parts.gateway().generateOffline(ModelTier.FAST, gatewayRequest, offline, stream)
            : parts.gateway().generate(route.tier(), gatewayRequest, offline, stream);
    stream.finish();
    if (stream.firstTokenAt() != 0) {
      steps.put("first_token_streamed", stream.firstTokenAt());
    }

    ModelCall call = response.call();
    metrics.record(call, route.label());
    parts.budget().record(request.conversationId(), call.costUsd());
    List<String> fallbacks =
        call.fallbacks().stream().map(f -> f.endpoint() + ": " + f.reason()).toList();
    if (offlineAnswer[0] != null) {
      GeneratedAnswer a = offlineAnswer[0];
      return new GeneratedAnswer(
          a.text(), a.citations(), a.declined(), a.model(), route.label(), a.promptVersion(),
          call.tokensIn(), call.tokensOut(), 0, 0, call.provider(), call.attempts(), fallbacks);
    }
    OutputGuard.Outcome guarded =
        parts.outputGuard().check(
            new OutputGuard.Input(
                Redactor.restore(response.text(), mapping), customerMessages(request),
                request.passages().stream().map(Passage::text).toList(), prompt.canary(), prompt.systemPrompt()));
    if (guarded.action() != GuardAction.ALLOW) {
      // verdicts name scanners, types and rules, never the values
      log.info("output guard: {} on {} {}: {}", guarded.action(), request.conversationId(), request.turnId(),
          guarded.verdicts().stream().filter(v -> !v.reasons().isEmpty()).toList());
    }
    // a replaced or escalated reply is the configured message: no markers, so no citations
    Citations.Resolved cited = Citations.resolve(guarded.text(), request.passages());
    GeneratedAnswer answer =
        new GeneratedAnswer(
            cited.text(), cited.citations(), cited.citations().isEmpty(), call.model(), route.label(),
            prompt.version(), call.tokensIn(), call.tokensOut(), call.costUsd(), 0, call.provider(),
            call.attempts(), fallbacks, guarded.groundingScore());
    // a model's answer that came through whole (no fallback, nothing the guard changed) is worth
    // keeping for the next asker
    if (kbVersion.isPresent() && fallbacks.isEmpty() && guarded.action() == GuardAction.ALLOW
        && CachePolicy.storable(answer)) {
      parts.cache().store(request.question(), kbVersion.get(), cacheKey,
          new CachedAnswer(answer.text(), answer.citations(), answer.model(), answer.tier()));
    }
    return answer;
  }

  private static List<String> passageTexts(AnswerRequest request) {
    return request.passages().stream().map(Passage::text).toList();
  }

  /** The system prompt, followed by what the customer's recent earlier conversations were about. */
  static String withCustomerContext(String systemPrompt, AnswerRequest request) {
    if (request.customerContext().isEmpty()) {
      return systemPrompt;
    }
    StringBuilder s = new StringBuilder(systemPrompt)
        .append("\n\nThe customer's recent earlier conversations with us, for context only (do not cite them):");
    request.customerContext().forEach(c -> s.append("\n- ").append(c));
    return s.toString();
  }

  /**
   * The request with the customer's words redacted: the question and the customer's earlier
   * messages (the agent's replies were restored before they were sent and may quote the customer,
   * so they are redacted too; passages are the help centre's and are not).
   */
  AnswerRequest redacted(AnswerRequest request, PlaceholderMapping mapping) {
    List<HistoryMessage> conversation = new ArrayList<>();
    for (HistoryMessage m : request.conversation()) {
      conversation.add(new HistoryMessage(m.role(), parts.redactor().redact(m.text(), mapping)));
    }
    return new AnswerRequest(
        request.conversationId(), request.turnId(), parts.redactor().redact(request.question(), mapping),
        request.passages(), request.relevant(), request.messageId(), conversation, request.earlierFailures(),
        request.kbVersion(), request.retrievalScore());
  }

  /** What the customer said in this conversation, raw: values found there may appear in a reply. */
  static List<String> customerMessages(AnswerRequest request) {
    List<String> messages = new ArrayList<>();
    for (HistoryMessage m : request.conversation()) {
      if (!"agent".equals(m.role())) {
        messages.add(m.text());
      }
    }
    messages.add(request.question());
    return messages;
  }

  /** The earlier messages as a chat, then the passages and the question as the last user message. */
  static GatewayRequest gatewayRequest(String systemPrompt, AnswerRequest request) {
    List<GatewayRequest.Message> messages = new ArrayList<>();
    for (HistoryMessage m : request.conversation()) {
      GatewayRequest.Role role = "agent".equals(m.role()) ? GatewayRequest.Role.ASSISTANT : GatewayRequest.Role.USER;
      if (messages.isEmpty() && role == GatewayRequest.Role.ASSISTANT) {
        continue; // a chat starts with the customer
      }
      messages.add(new GatewayRequest.Message(role, m.text()));
    }
    if (!messages.isEmpty() && messages.get(messages.size() - 1).role() == GatewayRequest.Role.USER) {
      // two customer messages in a row (an unanswered one): keep the chat alternating
      messages.add(new GatewayRequest.Message(GatewayRequest.Role.ASSISTANT, "(no answer)"));
    }
    messages.add(
        new GatewayRequest.Message(
            GatewayRequest.Role.USER, PromptTemplates.userMessage(request.question(), request.passages())));
    return new GatewayRequest(systemPrompt, messages, MAX_OUTPUT_TOKENS, TEMPERATURE);
  }

  private static ActivityExecutionContext activityContext() {
    try {
      return Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return null;
    }
  }
}
