package dev.supportagent.evaluation.answers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the suite reads of the API's reply ({@code AgentReply}, read from JSON so that fields added
 * later do not matter): the text, the cited document ids (distinct, in order), the flags and the
 * usage figures.
 */
public record Reply(
    String text,
    List<String> citations,
    boolean blocked,
    boolean escalated,
    String reason,
    String model,
    long tokensIn,
    long tokensOut,
    double costUsd) {

  public static Reply fromJson(JsonNode reply) {
    LinkedHashSet<String> cited = new LinkedHashSet<>();
    for (JsonNode c : reply.path("citations")) {
      String id = c.path("documentId").asText("");
      if (!id.isBlank()) {
        cited.add(id);
      }
    }
    return new Reply(
        reply.path("text").asText(""),
        new ArrayList<>(cited),
        reply.path("blocked").asBoolean(false),
        reply.path("escalated").asBoolean(false),
        textOrNull(reply.path("reason")),
        textOrNull(reply.path("model")),
        reply.path("tokensIn").asLong(0),
        reply.path("tokensOut").asLong(0),
        reply.path("costUsd").asDouble(0));
  }

  private static String textOrNull(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
