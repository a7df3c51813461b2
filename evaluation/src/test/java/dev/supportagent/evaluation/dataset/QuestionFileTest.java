package dev.supportagent.evaluation.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.EvalMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionFileTest {

  @TempDir Path dir;

  @Test
  void should_read_questions_with_history_and_gold_documents() throws Exception {
    Path file = dir.resolve("q.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"1\",\"question\":\"do they allow pets?\",\"history\":[{\"role\":\"agent\",\"text\":\"Hobsons House\"}],"
            + "\"doc_ids\":[\"hotel/hobsons-house.md\"],\"expect\":\"answer\",\"extra\":1}\n\n"
            + "{\"id\":\"2\",\"question\":\"weather?\",\"expect\":\"decline\"}\n");

    List<Question> questions = QuestionFile.read(file);

    assertEquals(2, questions.size());
    assertEquals(List.of("Hobsons House"), questions.get(0).historyTexts());
    assertEquals(List.of("hotel/hobsons-house.md"), questions.get(0).docIds());
    assertEquals(List.of(), questions.get(1).docIds());
    assertEquals(3, questions.get(1).line());
  }

  @Test
  void should_report_every_unreadable_row_with_its_line_number() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"1\",\"question\":\"ok\"}\n{not json\n{\"id\":\"3\"}\n"
            + "{\"id\":\"4\",\"question\":\"q\",\"history\":[{\"role\":\"bot\",\"text\":\"x\"}]}\n");

    EvalMain.UsageException e = assertThrows(EvalMain.UsageException.class, () -> QuestionFile.read(file));

    assertTrue(e.getMessage().contains("3 unreadable"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:3: missing field 'question'"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.jsonl:4: history role must be user or agent"), e.getMessage());
  }

  @Test
  void should_exit_2_for_a_missing_file_or_missing_arguments() {
    assertEquals(2, EvalMain.run(new String[] {"retrieval", "--questions", dir.resolve("none").toString()}, java.util.Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"retrieval", "--corpus", dir.toString(), "--questions", dir.resolve("none").toString()}, java.util.Map.of()));
    assertEquals(2, EvalMain.run(new String[] {"nonsense"}, java.util.Map.of()));
  }
}
