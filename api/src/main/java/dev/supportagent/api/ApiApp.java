package dev.supportagent.api;

import dev.supportagent.telemetry.Telemetry;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.temporal.client.WorkflowClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Builds the API as an unstarted {@link Javalin}, so tests drive it over real HTTP. */
public final class ApiApp {

  /**
   * The page's own inline script and styles may run and it may call this origin; nothing else is
   * loaded, framed or posted elsewhere.
   */
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
          + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** What the API needs from the outside world. */
  public record Dependencies(
      WorkflowClient temporal,
      ApiKeys keys,
      RateLimiter rateLimiter,
      Readiness readiness,
      Telemetry telemetry,
      DocumentUploads uploads,
      AnswerStreamReader answerStreams,
      EscalationQueue escalations) {}

  private ApiApp() {}

  public static ObjectMapper json() {
    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  public static Javalin create(ApiConfig config, Dependencies deps) {
    ObjectMapper json = json();
    Auth auth =
        new Auth(deps.keys(), deps.rateLimiter(), config.keyRequestsPerMinute(), config.endUserRequestsPerMinute());
    ApiMetrics metrics = new ApiMetrics(deps.telemetry().meter());
    ConversationController conversations =
        new ConversationController(
            deps.temporal(), json, metrics, config.idleTimeoutSeconds(), deps.answerStreams(), config.sla());

    Javalin app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.http.maxRequestSize = config.maxBodyBytes();
              c.jsonMapper(new JavalinJackson(json, false));
              c.staticFiles.add("/public", Location.CLASSPATH);
              c.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), SizeUnit.BYTES);
              c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            });
    ErrorMapping.install(app, json);
    RequestTracing tracing = new RequestTracing(deps.telemetry().tracer());
    app.before(tracing::start);
    app.after(tracing::end);
    app.before(
        "/v1/*",
        ctx -> rejectLargeBodies(ctx, ctx.isMultipartFormData() && ctx.path().equals("/v1/kb/ingest")
            ? config.maxUploadBytes()
            : config.maxBodyBytes()));
    app.beforeMatched(auth::handle);

    app.post("/v1/conversations", conversations::create, Role.CUSTOMER_APP);
    app.post("/v1/conversations/{id}/messages", conversations::sendMessage, Role.CUSTOMER_APP);
    app.get("/v1/conversations/{id}", conversations::get, Role.CUSTOMER_APP, Role.AGENT, Role.ADMIN);
    app.post("/v1/conversations/{id}/close", conversations::close, Role.CUSTOMER_APP, Role.AGENT);
    app.post("/v1/conversations/{id}/escalate", conversations::escalate, Role.CUSTOMER_APP, Role.AGENT);
    app.post("/v1/conversations/{id}/feedback", conversations::feedback, Role.CUSTOMER_APP);
    app.get("/v1/conversations/{id}/events", conversations::events, Role.CUSTOMER_APP, Role.AGENT, Role.ADMIN);

    EscalationController escalations = new EscalationController(deps.temporal(), deps.escalations(), json, metrics);
    app.get("/v1/escalations", escalations::list, Role.AGENT, Role.ADMIN);
    app.get("/v1/escalations/{id}", escalations::get, Role.AGENT, Role.ADMIN);
    app.post("/v1/escalations/{id}/claim", escalations::claim, Role.AGENT);
    app.post("/v1/escalations/{id}/reply", escalations::reply, Role.AGENT);
    app.post("/v1/escalations/{id}/resolve", escalations::resolve, Role.AGENT);

    KnowledgeBaseController kb = new KnowledgeBaseController(deps.temporal(), json, deps.uploads());
    app.post("/v1/kb/ingest", kb::start, Role.ADMIN);
    app.get("/v1/kb/ingest/{id}", kb::get, Role.ADMIN);

    byte[] console = page("public/agent.html");
    app.get("/agent", ctx -> servePage(ctx, console));

    app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    app.get(
        "/readyz",
        ctx -> {
          Map<String, String> deps1 = deps.readiness().check();
          boolean ready = deps1.values().stream().allMatch("up"::equals);
          ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not ready", "dependencies", deps1));
        });
    app.get("/metrics", ctx -> metrics(ctx, deps.telemetry()));
    return app;
  }

  private static byte[] page(String resource) {
    try (InputStream in = ApiApp.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the page " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void servePage(Context ctx, byte[] html) {
    ctx.header("Content-Security-Policy", PAGE_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType("text/html; charset=utf-8").result(html);
  }

  private static void rejectLargeBodies(Context ctx, long max) {
    long length = ctx.req().getContentLengthLong();
    if (length > max) {
      throw new ApiException(413, "payload-too-large", "Payload too large",
          "the body is " + length + " bytes; the limit is " + max);
    }
  }

  private static void metrics(Context ctx, Telemetry telemetry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    telemetry.writeMetrics(out);
    ctx.contentType(telemetry.contentType()).result(out.toByteArray());
  }
}
