package dev.supportagent.workflows.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One message of the transcript; {@code role} is {@code user} or {@code agent}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TranscriptEntry(
    String turnId, String role, String text, List<Citation> citations, String at) {

  public TranscriptEntry {
    citations = citations == null ? List.of() : List.copyOf(citations);
  }
}
