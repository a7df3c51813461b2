package dev.supportagent.api;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * Authenticates Bearer keys and authorises by route role, then applies the per-key rate limit.
 * Installed as a before-matched handler: routes without roles are public.
 */
public final class Auth {

  static final String PRINCIPAL = "principal";
  public static final String END_USER_HEADER = "X-Customer-Id";

  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final int keyPerMinute;
  private final int endUserPerMinute;

  public Auth(ApiKeys keys, RateLimiter limiter, int keyPerMinute, int endUserPerMinute) {
    this.keys = keys;
    this.limiter = limiter;
    this.keyPerMinute = keyPerMinute;
    this.endUserPerMinute = endUserPerMinute;
  }

  public void handle(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "unauthorized", "Unauthorized", "a Bearer API key is required");
    }
    ApiKeys.Principal principal =
        keys.authenticate(header.substring(7))
            .orElseThrow(
                () -> {
                  ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                  return new ApiException(401, "unauthorized", "Unauthorized", "the API key is not valid");
                });
    if (!roles.contains(principal.role())) {
      throw ApiException.forbidden("this key's role may not call " + ctx.method() + " " + ctx.matchedPath());
    }
    ctx.attribute(PRINCIPAL, principal);
    limit("key:" + principal.keyName(), keyPerMinute);
    String endUser = ctx.header(END_USER_HEADER);
    if (principal.role() == Role.CUSTOMER_APP && endUser != null && !endUser.isBlank()) {
      limit("user:" + principal.keyName() + ":" + endUser.strip(), endUserPerMinute);
    }
  }

  private void limit(String bucket, int perMinute) {
    RateLimiter.Decision d = limiter.tryAcquire(bucket, perMinute);
    if (!d.allowed()) {
      throw new ApiException(
          429, "rate-limited", "Too many requests",
          "rate limit reached; retry after " + d.retryAfterSeconds() + " s", d.retryAfterSeconds());
    }
  }

  /** The authenticated caller of a request that passed {@link #handle}. */
  public static ApiKeys.Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }
}
