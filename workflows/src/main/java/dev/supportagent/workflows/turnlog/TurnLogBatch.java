package dev.supportagent.workflows.turnlog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Turn log records written by one activity: the turns, then the ratings. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnLogBatch(List<TurnRecord> turns, List<TurnFeedback> ratings) {

  public TurnLogBatch {
    turns = turns == null ? List.of() : List.copyOf(turns);
    ratings = ratings == null ? List.of() : List.copyOf(ratings);
  }
}
