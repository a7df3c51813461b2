package dev.supportagent.evaluation;

import dev.supportagent.evaluation.EvalMain.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's {@code --name value} options and value-less {@code --flag}s; an unknown or
 * incomplete one is a usage error.
 */
public final class Options {

  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final Set<String> flagsGiven = new java.util.HashSet<>();

  private Options() {}

  public static Options parse(String[] args, Set<String> known) {
    return parse(args, known, Set.of());
  }

  /** @param flags options that take no value, such as {@code --no-ingest} */
  public static Options parse(String[] args, Set<String> known, Set<String> flags) {
    Options options = new Options();
    for (int i = 0; i < args.length; i += 2) {
      if (flags.contains(args[i])) {
        options.flagsGiven.add(args[i]);
        i--;
        continue;
      }
      if (!known.contains(args[i])) {
        List<String> all = new ArrayList<>(known);
        all.addAll(flags);
        throw new UsageException("unknown option " + args[i] + " (known: " + String.join(", ", all) + ")");
      }
      if (i + 1 >= args.length) {
        throw new UsageException(args[i] + " needs a value");
      }
      options.values.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
    }
    return options;
  }

  /** Whether the value-less option {@code name} was given. */
  public boolean flag(String name) {
    return flagsGiven.contains(name);
  }

  /** The last value given for {@code name}, or {@code fallback}. */
  public String string(String name, String fallback) {
    List<String> v = values.get(name);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  /** Every value given for a repeatable option, in order. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public Path path(String name, Path fallback) {
    String v = string(name, null);
    return v == null ? fallback : Path.of(v);
  }

  /** A whole number of at least {@code min}. */
  public int integer(String name, int fallback, int min) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " takes a whole number of at least " + min + ", got '" + v + "'");
  }

  /** Whole numbers separated by commas, each from {@code min} to {@code max}. */
  public List<Integer> integers(String name, String fallback, int min, int max) {
    String v = string(name, fallback);
    List<Integer> numbers = new ArrayList<>();
    try {
      for (String part : v.split(",")) {
        numbers.add(Integer.parseInt(part.strip()));
      }
    } catch (NumberFormatException e) {
      numbers.clear();
    }
    if (numbers.isEmpty() || numbers.stream().anyMatch(n -> n < min || n > max)) {
      throw new UsageException(
          name + " takes whole numbers from " + min + " to " + max + " separated by commas, got '" + v + "'");
    }
    return numbers;
  }

  /** A number from 0 to 1. */
  public double fraction(String name, double fallback) {
    return decimal(name, fallback, 0, 1);
  }

  /** A number from {@code min} to {@code max}, both included. */
  public double decimal(String name, double fallback, double min, double max) {
    String v = string(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " takes a number from " + min + " to " + max + ", got '" + v + "'");
  }
}
