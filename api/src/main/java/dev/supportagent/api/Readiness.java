package dev.supportagent.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Named dependency checks behind {@code /readyz}. A check that throws counts as down. */
public final class Readiness {

  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  public Readiness add(String name, BooleanSupplier check) {
    checks.put(name, check);
    return this;
  }

  /** Each dependency's state, {@code up} or {@code down}. */
  public Map<String, String> check() {
    Map<String, String> result = new LinkedHashMap<>();
    checks.forEach(
        (name, check) -> {
          boolean up;
          try {
            up = check.getAsBoolean();
          } catch (RuntimeException e) {
            up = false;
          }
          result.put(name, up ? "up" : "down");
        });
    return result;
  }
}
