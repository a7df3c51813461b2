package dev.supportagent.activities.model.gateway;

/**
 * The chain's {@code offline} entry: answers without a model, for example with the offline
 * extractive answerer over the turn's passages. It must not fail: it is the last fallback.
 */
@FunctionalInterface
public interface OfflineProvider {

  /** The complete answer, which the gateway streams word by word. */
  String answer(GatewayRequest request);
}
