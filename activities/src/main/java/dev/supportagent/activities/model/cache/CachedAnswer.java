package dev.supportagent.activities.model.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.supportagent.workflows.conversation.Citation;
import java.util.List;
import java.util.Objects;

/**
 * A reply kept in the answer cache: what the customer is shown and what produced it. Holds no
 * tokens or cost: a reply served from the cache costs nothing.
 *
 * @param text the reply as the answerer produced it, before the output filter (which runs on every
 *     reply, cached or not)
 * @param citations the documents the reply cites
 * @param model the model that produced it, for example {@code offline-extractive}
 * @param tier the tier it was produced for, for example {@code offline} or {@code fast}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CachedAnswer(String text, List<Citation> citations, String model, String tier) {

  public CachedAnswer {
    Objects.requireNonNull(text, "text");
    citations = citations == null ? List.of() : List.copyOf(citations);
  }
}
