package dev.supportagent.api;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What an API key may do. */
public enum Role implements RouteRole {
  /** The chat frontend: starts conversations and sends messages for its end users. */
  CUSTOMER_APP,
  /** A human support agent. */
  AGENT,
  /** An operator: knowledge base and everything an agent can read. */
  ADMIN;

  /** Parses {@code customer_app}, {@code agent} or {@code admin}. */
  public static Role parse(String s) {
    try {
      return Role.valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + s + "' (expected customer_app, agent or admin)");
    }
  }
}
