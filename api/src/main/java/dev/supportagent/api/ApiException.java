package dev.supportagent.api;

/**
 * An error with an HTTP status, answered as {@code application/problem+json}. The detail is
 * written for the caller: it never carries an internal exception's message.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final Long retryAfterSeconds;

  public ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null);
  }

  public ApiException(int status, String slug, String title, String detail, Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
