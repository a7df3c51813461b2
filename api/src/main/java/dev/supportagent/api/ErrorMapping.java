package dev.supportagent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every error to {@code application/problem+json} (RFC 9457), in one place. */
public final class ErrorMapping {

  public static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  public static void install(Javalin app, ObjectMapper json) {
    app.exception(ApiException.class, (e, ctx) -> write(ctx, json, e));
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            write(ctx, json, new ApiException(e.getStatus(), "http-" + e.getStatus(), titleOf(e.getStatus()), e.getMessage())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unhandled error on {} {}", ctx.method(), ctx.matchedPath(), e);
          write(ctx, json, new ApiException(500, "internal", "Internal error", "an unexpected error occurred"));
        });
    app.error(
        404,
        ctx -> {
          if (!PROBLEM_JSON.equals(ctx.res().getContentType())) {
            write(ctx, json, ApiException.notFound("no such resource: " + ctx.path()));
          }
        });
    app.error(
        405,
        ctx -> write(ctx, json, new ApiException(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed here")));
  }

  /** The problem+json body for {@code e} on the request's path. */
  static Map<String, Object> problem(Context ctx, ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "/problems/" + e.slug());
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", ctx.path());
    return body;
  }

  static void write(Context ctx, ObjectMapper json, ApiException e) {
    Map<String, Object> body = problem(ctx, e);
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    try {
      ctx.status(e.status()).contentType(PROBLEM_JSON).result(json.writeValueAsString(body));
    } catch (Exception serialisation) {
      ctx.status(500).contentType(PROBLEM_JSON).result("{\"title\":\"Internal error\",\"status\":500}");
    }
  }

  private static String titleOf(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 413 -> "Payload too large";
      case 404 -> "Not found";
      default -> "HTTP " + status;
    };
  }
}
