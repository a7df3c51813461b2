package dev.supportagent.workflows.answer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.conversation.Citation;
import java.util.List;

/**
 * @param declined the answerer found nothing to answer from and said so
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GeneratedAnswer(
    String text,
    List<Citation> citations,
    boolean declined,
    String model,
    String tier,
    String promptVersion,
    long tokensIn,
    long tokensOut,
    double costUsd,
    long durationMs) {

  public GeneratedAnswer {
    citations = citations == null ? List.of() : List.copyOf(citations);
  }
}
