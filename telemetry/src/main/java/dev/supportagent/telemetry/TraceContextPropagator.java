package dev.supportagent.telemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.Header;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries the current OpenTelemetry trace context through Temporal headers: the W3C {@code
 * traceparent} (and {@code tracestate}) of {@link Context#current()} as a map, serialised into one
 * payload under the header {@value #NAME}. Temporal adds it to what a client starts and to the
 * activities, local activities and child workflows a workflow schedules.
 *
 * <p>{@link #setCurrentContext} does nothing: the SDK calls it on pooled workflow and activity
 * threads and never undoes it, so a context made current there would outlive its task. The {@link
 * TracingWorkerInterceptor} reads the header instead and closes what it opens. Updates and signals
 * get no propagated context from the SDK: {@link TracingClientInterceptor} adds it.
 */
public final class TraceContextPropagator implements ContextPropagator {

  public static final String NAME = "otel-trace";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final Type MAP_OF_STRINGS = new HashMap<String, String>() {}.getClass().getGenericSuperclass();

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  @Override
  public String getName() {
    return NAME;
  }

  /** The current trace context as W3C headers; empty outside a span. */
  @Override
  public Object getCurrentContext() {
    return inject(Context.current());
  }

  /** Deliberately nothing: see the class comment. */
  @Override
  public void setCurrentContext(Object context) {}

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    @SuppressWarnings("unchecked")
    Map<String, String> headers = context instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    if (headers.isEmpty()) {
      return Map.of();
    }
    return Map.of(NAME, CONVERTER.toPayload(headers).orElseThrow());
  }

  /** The W3C headers found under {@value #NAME}; empty when there are none or they are unreadable. */
  @Override
  @SuppressWarnings("unchecked")
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header == null ? null : header.get(NAME);
    if (payload == null) {
      return Map.of();
    }
    try {
      Map<String, String> headers = CONVERTER.fromPayload(payload, Map.class, MAP_OF_STRINGS);
      return headers == null ? Map.of() : headers;
    } catch (DataConverterException | ClassCastException e) {
      // a trace context is never worth failing a workflow or an activity for
      return Map.of();
    }
  }

  /** The W3C headers of {@code context}'s span; empty when it has none. */
  public static Map<String, String> inject(Context context) {
    Map<String, String> headers = new HashMap<>();
    W3C.inject(context, headers, Map::put);
    return headers;
  }

  /**
   * The remote parent that {@code headers} name, on top of the root context; the root context
   * itself when they name none.
   */
  public static Context extract(Map<String, String> headers) {
    return W3C.extract(Context.root(), headers, GETTER);
  }

  /** The remote parent carried in a Temporal header, as {@link #extract} gives it. */
  @SuppressWarnings("unchecked")
  public Context extract(Header header) {
    return extract((Map<String, String>) deserializeContext(header == null ? null : header.getValues()));
  }

  /** Adds the current trace context to {@code header}, when there is one and it can be added. */
  void write(Header header) {
    Map<String, Payload> context = serializeContext(getCurrentContext());
    if (header == null || context.isEmpty()) {
      return;
    }
    try {
      header.getValues().putAll(context);
    } catch (UnsupportedOperationException readOnly) {
      // a caller's read-only header: the call goes out untraced rather than not at all
    }
  }
}
