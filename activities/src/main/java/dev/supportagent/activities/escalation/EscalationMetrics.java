package dev.supportagent.activities.escalation;

import dev.supportagent.workflows.escalation.EscalationView;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.regex.Pattern;

/**
 * Hand-overs to people on {@code /metrics}: {@value #ESCALATIONS} ({@code
 * support_escalations_total}) by {@code reason} ({@code customer_request}, {@code agent_request},
 * {@code model_failure}, {@code low_grounding}, {@code negative_feedback}, or the input guard's
 * scanner), and {@value #BREACHES} ({@code support_escalation_sla_breaches_total}) by {@code
 * deadline} ({@code first_response}, {@code resolution}).
 */
public final class EscalationMetrics {

  public static final String ESCALATIONS = "support.escalations";
  public static final String BREACHES = "support.escalation.sla_breaches";
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final AttributeKey<String> DEADLINE = AttributeKey.stringKey("deadline");
  static final String BREACHED = "_breached";
  /** A reason is a short machine-readable word; anything else is not a label value. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]{1,40}");

  static final EscalationMetrics NONE = new EscalationMetrics(OpenTelemetry.noop().getMeter("dev.supportagent"));

  private final LongCounter escalations;
  private final LongCounter breaches;

  public EscalationMetrics(Meter meter) {
    escalations =
        meter.counterBuilder(ESCALATIONS).setDescription("Conversations handed to a person, by reason").build();
    breaches =
        meter
            .counterBuilder(BREACHES)
            .setDescription("Escalation deadlines missed, by deadline (first_response, resolution)")
            .build();
  }

  /** A conversation was handed over and its escalation entered the queue. */
  public void escalated(EscalationView view) {
    escalations.add(1, Attributes.of(REASON, label(view.ticket().reason())));
  }

  /** An escalation missed a deadline: {@code deadline} as in {@link EscalationView#breaches()}. */
  public void breached(String deadline) {
    breaches.add(1, Attributes.of(DEADLINE, label(deadline)));
  }

  static String label(String value) {
    return value != null && LABEL.matcher(value).matches() ? value : "other";
  }
}
