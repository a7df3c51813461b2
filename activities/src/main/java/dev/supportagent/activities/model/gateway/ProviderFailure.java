package dev.supportagent.activities.model.gateway;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Why a request to a provider failed, and whether that is worth a retry: 429, 408, 5xx, timeouts,
 * connection errors and broken streams are; any other 4xx is not (the same request would fail the
 * same way), and neither is anything unrecognised.
 *
 * @param status the HTTP status, or 0 when there was none
 * @param retryAfter the provider's Retry-After, when it sent one
 */
public record ProviderFailure(Kind kind, int status, Optional<Duration> retryAfter, String detail) {

  public enum Kind {
    RATE_LIMITED(true),
    SERVER_ERROR(true),
    TIMEOUT(true),
    CONNECTION(true),
    /** The stream ended or broke before the model finished. */
    STREAM_BROKEN(true),
    CLIENT_ERROR(false),
    OTHER(false);

    private final boolean retriable;

    Kind(boolean retriable) {
      this.retriable = retriable;
    }
  }

  public boolean retriable() {
    return kind.retriable;
  }

  /** Whether it says the endpoint is unwell, which is what the circuit breaker counts. */
  public boolean countsAgainstEndpoint() {
    return kind.retriable;
  }

  /** A short reason for {@link ModelCall.Fallback#reason()}; no response body (it may echo input). */
  public String describe() {
    String what =
        switch (kind) {
          case RATE_LIMITED, SERVER_ERROR, CLIENT_ERROR -> "http " + status;
          case TIMEOUT -> "timeout";
          case CONNECTION -> "connection error";
          case STREAM_BROKEN -> "stream broken";
          case OTHER -> "error";
        };
    return detail == null || detail.isEmpty() ? what : what + ": " + detail;
  }

  static ProviderFailure timeout(String detail) {
    return new ProviderFailure(Kind.TIMEOUT, 0, Optional.empty(), detail);
  }

  static ProviderFailure streamBroken(String detail) {
    return new ProviderFailure(Kind.STREAM_BROKEN, 0, Optional.empty(), detail);
  }

  /**
   * Classifies an error a langchain4j streaming model reported.
   *
   * @param status the HTTP status the response had (0 when no response arrived), observed below
   *     langchain4j, which keeps only the status and body of a failed response
   * @param headers that response's headers, or null
   * @param streamStarted whether tokens had arrived before the error
   */
  static ProviderFailure classify(Throwable error, int status, HttpHeaders headers, boolean streamStarted) {
    int code = status >= 400 ? status : httpStatus(error);
    if (code > 0) {
      Optional<Duration> retryAfter = headers == null ? Optional.empty() : retryAfter(headers);
      if (code == 429) {
        return new ProviderFailure(Kind.RATE_LIMITED, code, retryAfter, null);
      }
      if (code == 408) {
        return new ProviderFailure(Kind.TIMEOUT, code, retryAfter, "http 408");
      }
      if (code >= 500) {
        return new ProviderFailure(Kind.SERVER_ERROR, code, retryAfter, null);
      }
      if (code >= 400) {
        return new ProviderFailure(Kind.CLIENT_ERROR, code, Optional.empty(), null);
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException
          || t instanceof dev.langchain4j.exception.TimeoutException
          || t instanceof java.util.concurrent.TimeoutException) {
        return timeout(t.getClass().getSimpleName());
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UnresolvedModelServerException) {
        String detail = t.getClass().getSimpleName();
        return streamStarted
            ? streamBroken(detail)
            : new ProviderFailure(Kind.CONNECTION, 0, Optional.empty(), detail);
      }
    }
    return new ProviderFailure(Kind.OTHER, 0, Optional.empty(), error.getClass().getSimpleName());
  }

  private static int httpStatus(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpException h) {
        return h.statusCode();
      }
    }
    return 0;
  }

  /**
   * The delay a provider asked for: {@code retry-after-ms} (OpenAI) or {@code Retry-After} in
   * seconds. An HTTP-date Retry-After is ignored (the backoff applies).
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      Optional<Duration> d = parse(ms.get(), 1);
      if (d.isPresent()) {
        return d;
      }
    }
    return headers.firstValue("retry-after").flatMap(s -> parse(s, 1000));
  }

  private static Optional<Duration> parse(String value, long millisPerUnit) {
    try {
      double n = Double.parseDouble(value.strip());
      if (n < 0 || Double.isNaN(n) || Double.isInfinite(n)) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis((long) Math.ceil(n * millisPerUnit)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
