package dev.supportagent.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The customer each conversation belongs to, for the conversations this API process has created
 * or read lately. A conversation's customer never changes, so a message to a known conversation is
 * authorised without asking its workflow first (a query, 8 ms at p50 on the local stack, on the
 * path to the first token); the workflow's update validator still refuses a closed conversation.
 * Other processes' conversations are read once, then known.
 */
final class ConversationOwners {

  static final int KEPT = 10_000;

  private final Map<String, String> owners =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > KEPT;
        }
      };

  synchronized void remember(String conversationId, String customerId) {
    owners.put(conversationId, customerId);
  }

  synchronized Optional<String> owner(String conversationId) {
    return Optional.ofNullable(owners.get(conversationId));
  }
}
