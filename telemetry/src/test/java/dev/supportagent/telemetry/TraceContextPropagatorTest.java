package dev.supportagent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.interceptors.Header;
import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextPropagatorTest {

  static final SpanContext REQUEST =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

  final TraceContextPropagator propagator = new TraceContextPropagator();

  @Test
  void should_carry_the_current_traceparent_through_serialize_and_deserialize() {
    Map<String, Payload> header;
    try (Scope ignored = Span.wrap(REQUEST).makeCurrent()) {
      header = propagator.serializeContext(propagator.getCurrentContext());
    }

    assertEquals(java.util.Set.of(TraceContextPropagator.NAME), header.keySet());
    @SuppressWarnings("unchecked")
    Map<String, String> headers = (Map<String, String>) propagator.deserializeContext(header);
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", headers.get("traceparent"));
    SpanContext parent = Span.fromContext(TraceContextPropagator.extract(headers)).getSpanContext();
    assertEquals(REQUEST.getTraceId(), parent.getTraceId());
    assertEquals(REQUEST.getSpanId(), parent.getSpanId());
    assertTrue(parent.isRemote() && parent.isSampled());
  }

  @Test
  void should_read_the_parent_from_a_temporal_header() {
    Header header = new Header(new HashMap<>());
    try (Scope ignored = Span.wrap(REQUEST).makeCurrent()) {
      propagator.write(header);
    }

    SpanContext parent = Span.fromContext(propagator.extract(header)).getSpanContext();
    assertEquals(REQUEST.getSpanId(), parent.getSpanId());
  }

  @Test
  void should_add_nothing_to_the_header_outside_a_span() {
    assertTrue(propagator.serializeContext(propagator.getCurrentContext()).isEmpty());
    Header header = new Header(new HashMap<>());
    propagator.write(header);
    assertTrue(header.getValues().isEmpty());
  }

  @Test
  void should_give_the_root_context_when_the_header_is_missing_or_unreadable() {
    Payload garbage =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8("{not json"))
            .build();

    assertEquals(Context.root(), propagator.extract(new Header(Map.of())));
    assertEquals(Context.root(), propagator.extract(new Header(Map.of(TraceContextPropagator.NAME, garbage))));
    assertFalse(Span.fromContext(propagator.extract((Header) null)).getSpanContext().isValid());
  }

  @Test
  void should_leave_the_current_context_alone_when_temporal_sets_it() {
    try (Scope ignored = Span.wrap(REQUEST).makeCurrent()) {
      propagator.setCurrentContext(Map.of("traceparent", "00-11111111111111111111111111111111-2222222222222222-01"));
      assertEquals(REQUEST, Span.current().getSpanContext());
    }
  }
}
