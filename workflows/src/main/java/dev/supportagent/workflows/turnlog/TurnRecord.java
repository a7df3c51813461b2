package dev.supportagent.workflows.turnlog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the turn log keeps of one turn. The texts are as the workflow saw them; the turn log's
 * activity redacts personal data before anything is stored.
 *
 * @param at when the message arrived (ISO-8601, workflow time)
 * @param question the customer's message after the input check's normalisation
 * @param passages what retrieval returned, best first (ids and scores only)
 * @param promptVersion the prompt template used; it is the A/B arm of a prompt split
 * @param stagesMs time spent in each stage of the turn
 * @param escalationId the escalation the turn started or was routed to, if any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnRecord(
    String conversationId,
    String turnId,
    String messageId,
    String customerId,
    String at,
    String question,
    String reply,
    List<Citation> citations,
    List<RetrievedPassage> passages,
    List<ScanVerdict> inputVerdicts,
    List<ScanVerdict> outputVerdicts,
    boolean blocked,
    boolean escalated,
    String reason,
    String escalationId,
    String model,
    String provider,
    String tier,
    String promptVersion,
    long tokensIn,
    long tokensOut,
    double costUsd,
    long latencyMs,
    Map<String, Long> stagesMs,
    int attempts,
    List<String> fallbacks,
    String kbVersion,
    Double groundingScore) {

  public TurnRecord {
    citations = citations == null ? List.of() : List.copyOf(citations);
    passages = passages == null ? List.of() : List.copyOf(passages);
    inputVerdicts = inputVerdicts == null ? List.of() : List.copyOf(inputVerdicts);
    outputVerdicts = outputVerdicts == null ? List.of() : List.copyOf(outputVerdicts);
    stagesMs = stagesMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stagesMs));
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
  }

  /** A retrieved passage as the turn log keeps it: which one, from which document, how it scored. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RetrievedPassage(String passageId, String documentId, double score) {}
}
