package dev.supportagent.workflows;

import io.temporal.common.SearchAttributeKey;

/**
 * Custom search attributes that operators filter on in the Temporal UI. They are registered when
 * the dev server starts ({@code deploy/local/lib.sh}) and must be registered on any other cluster.
 */
public final class SupportSearchAttributes {

  /** ACTIVE, ESCALATED or CLOSED. */
  public static final SearchAttributeKey<String> SUPPORT_STATUS =
      SearchAttributeKey.forKeyword("SupportStatus");

  public static final SearchAttributeKey<String> CUSTOMER_ID =
      SearchAttributeKey.forKeyword("CustomerId");

  public static final SearchAttributeKey<String> ESCALATION_REASON =
      SearchAttributeKey.forKeyword("EscalationReason");

  public static final SearchAttributeKey<Long> TURN_COUNT = SearchAttributeKey.forLong("TurnCount");

  private SupportSearchAttributes() {}
}
