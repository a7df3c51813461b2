package dev.supportagent.workflows;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads settings from environment variables for the processes' {@code fromEnv} configs, collecting
 * every missing or malformed variable so that all are reported at once.
 */
public final class EnvReader {

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public EnvReader(Map<String, String> env) {
    this.env = env;
  }

  public String string(String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  public String required(String name) {
    String v = string(name, null);
    if (v == null) {
      problems.add(name + " is required");
    }
    return v;
  }

  public int port(String name, int fallback) {
    long v = number(name, fallback, 0, 65535);
    return (int) v;
  }

  public long number(String name, long fallback, long min, long max) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        problems.add(name + " must be between " + min + " and " + max + ", got " + n);
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number, got '" + v + "'");
      return fallback;
    }
  }

  public double fraction(String name, double fallback) {
    return decimal(name, fallback, 0, 1);
  }

  /** A number, with a fraction allowed, between {@code min} and {@code max}. */
  public double decimal(String name, double fallback, double min, double max) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) {
        problems.add(name + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + v);
        return fallback;
      }
      return d;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a number, got '" + v + "'");
      return fallback;
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** An http(s) or redis(s) URL. */
  public String url(String name, String fallback) {
    String v = string(name, fallback);
    if (v == null) {
      return null; // optional, and not set
    }
    try {
      URI uri = URI.create(v);
      if (uri.getScheme() == null || uri.getHost() == null) {
        problems.add(name + " must be a URL" + like(fallback) + ", got '" + v + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(name + " must be a URL" + like(fallback) + ", got '" + v + "'");
    }
    return v;
  }

  /** Records a problem found by the caller's own validation. */
  private static String like(String example) {
    return example == null ? "" : " like " + example;
  }

  public void problem(String message) {
    problems.add(message);
  }

  /** Throws {@link IllegalArgumentException} naming every problem found so far. */
  public void failOnProblems(String what) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid " + what + " configuration:\n  - " + String.join("\n  - ", problems));
    }
  }
}
