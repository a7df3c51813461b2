package dev.supportagent.activities.model.gateway;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Locale;

/**
 * One CLIENT span per model request, {@code chat <model>}, with the OpenTelemetry GenAI
 * semantic-convention attributes (operation, provider, requested and answering model, token usage),
 * the cost ({@code support.cost_usd}) and where the request stood in the fallback chain. The
 * offline answer gets one too. Spans carry no prompt, message, answer or provider response text.
 */
final class ModelCallSpans {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  /** The older name of {@link #PROVIDER}, which many backends still read. */
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Boolean> TOKENS_ESTIMATED = AttributeKey.booleanKey("support.tokens_estimated");
  static final AttributeKey<Double> COST = AttributeKey.doubleKey("support.cost_usd");
  static final AttributeKey<String> TIER = AttributeKey.stringKey("support.model.tier");
  /** The request's number within the gateway call, retries and earlier entries included. */
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("support.model.attempt");
  /** Chain entries given up on before this request's. */
  static final AttributeKey<Long> FALLBACKS = AttributeKey.longKey("support.model.fallbacks");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  private final Tracer tracer;

  ModelCallSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Starts the span of one request to {@code provider}'s {@code model}; the caller makes it current. */
  Span start(String provider, String model, ModelTier tier, GatewayRequest request, int attempt, int fallbacks) {
    var builder =
        tracer
            .spanBuilder("chat " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, "chat")
            .setAttribute(PROVIDER, provider)
            .setAttribute(SYSTEM, provider)
            .setAttribute(REQUEST_MODEL, model)
            .setAttribute(MAX_TOKENS, (long) request.maxTokens())
            .setAttribute(TIER, tier.name().toLowerCase(Locale.ROOT))
            .setAttribute(ATTEMPT, (long) attempt)
            .setAttribute(FALLBACKS, (long) fallbacks);
    if (request.temperature() != null) {
      builder.setAttribute(TEMPERATURE, request.temperature());
    }
    return builder.startSpan();
  }

  /** Ends {@code span} with what the call that it answered used and cost. */
  static GatewayResponse answered(Span span, GatewayResponse response, String responseModel, String finishReason) {
    ModelCall call = response.call();
    span.setAttribute(RESPONSE_MODEL, responseModel == null ? call.model() : responseModel);
    if (finishReason != null) {
      span.setAttribute(FINISH_REASONS, List.of(finishReason.toLowerCase(Locale.ROOT)));
    }
    span.setAttribute(INPUT_TOKENS, call.tokensIn());
    span.setAttribute(OUTPUT_TOKENS, call.tokensOut());
    span.setAttribute(TOKENS_ESTIMATED, call.tokensEstimated());
    span.setAttribute(COST, call.costUsd());
    span.end();
    return response;
  }

  /** Ends {@code span} as failed: the failure's kind and status, never its detail. */
  static void failed(Span span, ProviderFailure failure) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, failure.kind().name().toLowerCase(Locale.ROOT));
    if (failure.status() > 0) {
      span.setAttribute(HTTP_STATUS, (long) failure.status());
    }
    span.end();
  }

  /** Ends {@code span} as failed by an exception (the caller's, or an interruption). */
  static void failed(Span span, RuntimeException e) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, e.getClass().getName());
    span.end();
  }
}
