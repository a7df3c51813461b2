package dev.supportagent.api;

import io.javalin.http.Context;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** One server span per HTTP request, current while the handler runs. */
final class RequestTracing {

  private static final String SPAN = "support.span";
  private static final String SCOPE = "support.scope";
  /** When the request reached the API (epoch milliseconds), before authentication. */
  static final String RECEIVED_AT = "support.receivedAt";
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

  private final Tracer tracer;

  RequestTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  void start(Context ctx) {
    ctx.attribute(RECEIVED_AT, System.currentTimeMillis());
    Span span =
        tracer
            .spanBuilder(ctx.method().name())
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(METHOD, ctx.method().name())
            .startSpan();
    ctx.attribute(SPAN, span);
    ctx.attribute(SCOPE, span.makeCurrent());
  }

  void end(Context ctx) {
    Span span = ctx.attribute(SPAN);
    Scope scope = ctx.attribute(SCOPE);
    if (span == null) {
      return;
    }
    // the route template, never the raw path: ids stay out of span names
    String route = ctx.endpointHandlerPath();
    span.updateName(ctx.method().name() + " " + route);
    span.setAttribute(ROUTE, route);
    span.setAttribute(STATUS, (long) ctx.statusCode());
    if (ctx.statusCode() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    if (scope != null) {
      scope.close();
    }
    span.end();
  }
}
