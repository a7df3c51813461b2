package dev.supportagent.activities.model.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  static final Duration PLENTY = Duration.ofSeconds(60);
  double random = 0.5;
  final RetryPolicy policy =
      new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(5), () -> random);

  static HttpHeaders headers(String... kv) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], List.of(kv[i + 1]));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  static ProviderFailure http(int status, HttpHeaders headers) {
    return ProviderFailure.classify(new HttpException(status, "body"), status, headers, false);
  }

  @Test
  void should_retry_a_429_after_its_retry_after() {
    RetryPolicy.Decision d = policy.decide(http(429, headers("Retry-After", "2")), 1, PLENTY);

    assertTrue(d.retry());
    assertEquals(Duration.ofSeconds(2), d.delay());
  }

  @Test
  void should_prefer_retry_after_ms_and_ignore_an_http_date() {
    assertEquals(
        Optional.of(Duration.ofMillis(150)),
        ProviderFailure.retryAfter(headers("retry-after-ms", "150", "retry-after", "1")));
    assertEquals(
        Optional.empty(), ProviderFailure.retryAfter(headers("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")));
  }

  @Test
  void should_fall_back_instead_of_waiting_past_the_retry_after_cap() {
    RetryPolicy.Decision d = policy.decide(http(429, headers("Retry-After", "30")), 1, PLENTY);

    assertFalse(d.retry());
    assertTrue(d.reason().contains("over the 5000 ms cap"), d.reason());
  }

  @Test
  void should_not_retry_other_4xx() {
    for (int status : new int[] {400, 401, 403, 404, 422}) {
      RetryPolicy.Decision d = policy.decide(http(status, null), 1, PLENTY);
      assertFalse(d.retry(), "status " + status);
      assertEquals("http " + status, d.reason());
    }
  }

  @Test
  void should_retry_5xx_408_timeouts_and_connection_errors_with_backoff() {
    for (ProviderFailure f :
        List.of(
            http(500, null),
            http(503, null),
            http(408, null),
            ProviderFailure.timeout("no token"),
            ProviderFailure.classify(new RuntimeException(new ConnectException("refused")), 0, null, false))) {
      RetryPolicy.Decision d = policy.decide(f, 1, PLENTY);
      assertTrue(d.retry(), f.describe());
      assertEquals(Duration.ofMillis(75), d.delay(), "half of 100 ms plus half the jitter range");
    }
  }

  @Test
  void should_classify_langchain4j_mapped_exceptions_by_their_http_cause() {
    ProviderFailure f = ProviderFailure.classify(new RateLimitException(new HttpException(429, "slow down")), 0, null, false);

    assertEquals(ProviderFailure.Kind.RATE_LIMITED, f.kind());
    assertTrue(f.retriable());
  }

  @Test
  void should_call_an_io_error_after_tokens_a_broken_stream() {
    ProviderFailure f = ProviderFailure.classify(new java.io.IOException("EOF"), 200, null, true);

    assertEquals(ProviderFailure.Kind.STREAM_BROKEN, f.kind());
    assertTrue(f.retriable());
  }

  @Test
  void should_give_up_after_the_attempt_budget() {
    RetryPolicy.Decision d = policy.decide(http(500, null), RetryPolicy.MAX_ATTEMPTS_PER_ENDPOINT, PLENTY);

    assertFalse(d.retry());
    assertEquals("http 500 after 2 attempts", d.reason());
  }

  @Test
  void should_give_up_when_the_wait_would_pass_the_deadline() {
    RetryPolicy.Decision d = policy.decide(http(429, headers("Retry-After", "2")), 1, Duration.ofSeconds(1));

    assertFalse(d.retry());
  }

  @Test
  void should_grow_the_backoff_exponentially_within_jitter_and_cap() {
    random = 0.0;
    assertEquals(Duration.ofMillis(50), policy.backoff(1));
    assertEquals(Duration.ofMillis(100), policy.backoff(2));
    assertEquals(Duration.ofMillis(500), policy.backoff(10));
    random = 0.999;
    assertEquals(Duration.ofMillis(99), policy.backoff(1));
    assertEquals(Duration.ofMillis(999), policy.backoff(10));
  }
}
