package dev.supportagent.activities.model.gateway;

import java.time.Duration;

/**
 * How long the gateway waits for a provider.
 *
 * @param firstToken from sending a request to its first token (also the connect and response
 *     header timeouts of the HTTP client)
 * @param idle the longest gap between two tokens of a stream; the JDK client's own timeout stops
 *     at the response headers, so a stream that goes quiet is caught only by this
 * @param callDeadline for the whole call, retries and fallbacks included; past it the remaining
 *     model entries are skipped and the offline answerer replies. Keep it below the answer
 *     activity's start-to-close timeout (60 s) so that the offline answer still arrives in time.
 */
public record GatewayTimeouts(Duration firstToken, Duration idle, Duration callDeadline) {

  public static final GatewayTimeouts DEFAULT =
      new GatewayTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(15), Duration.ofSeconds(45));

  public GatewayTimeouts {
    for (Duration d : new Duration[] {firstToken, idle, callDeadline}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("gateway timeouts must be positive");
      }
    }
  }
}
