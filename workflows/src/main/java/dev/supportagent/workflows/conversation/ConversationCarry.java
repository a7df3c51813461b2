package dev.supportagent.workflows.conversation;

import dev.supportagent.workflows.turnlog.TurnFeedback;
import dev.supportagent.workflows.turnlog.TurnRecord;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a conversation carries into its next run when it continues as new: the counts, its latest
 * transcript entries (with a one-line summary of the ones left behind), and the replies of the
 * latest message ids, so a retried message is still answered once; and the turn log writes not
 * finished yet, which the next run schedules again (they are idempotent), so a run never waits for
 * them before it continues.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationCarry(
    int turnCount,
    int escalations,
    int modelFailuresInARow,
    String summary,
    List<TranscriptEntry> transcript,
    Map<String, AgentReply> replies,
    List<TurnRecord> pendingTurns,
    List<TurnFeedback> pendingRatings) {

  public ConversationCarry {
    transcript = transcript == null ? List.of() : List.copyOf(transcript);
    replies = replies == null ? Map.of() : Map.copyOf(replies);
    pendingTurns = pendingTurns == null ? List.of() : List.copyOf(pendingTurns);
    pendingRatings = pendingRatings == null ? List.of() : List.copyOf(pendingRatings);
  }
}
