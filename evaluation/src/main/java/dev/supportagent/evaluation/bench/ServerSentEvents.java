package dev.supportagent.evaluation.bench;

import java.io.IOException;
import java.util.stream.Stream;

/** Reads a {@code text/event-stream} body as it arrives: each event's name and data line. */
final class ServerSentEvents {

  /** Called with each event's name and its data (one {@code data:} line each, as the API writes). */
  interface Listener {
    void event(String name, String data) throws IOException;
  }

  private ServerSentEvents() {}

  static void read(Stream<String> lines, Listener listener) throws IOException {
    String event = null;
    for (String line : (Iterable<String>) lines::iterator) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        listener.event(event, line.substring(6));
      }
    }
  }
}
