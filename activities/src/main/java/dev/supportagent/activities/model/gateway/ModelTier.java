package dev.supportagent.activities.model.gateway;

import java.util.Locale;

/** The two model tiers a turn can be routed to, each configured by its own fallback chain. */
public enum ModelTier {
  FAST("SUPPORT_MODEL_FAST"),
  STRONG("SUPPORT_MODEL_STRONG");

  private final String variable;

  ModelTier(String variable) {
    this.variable = variable;
  }

  /** The environment variable holding this tier's chain. */
  public String variable() {
    return variable;
  }

  /** The tier as replies and metrics name it: {@code fast} or {@code strong}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
