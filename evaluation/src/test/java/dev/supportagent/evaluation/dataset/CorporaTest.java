package dev.supportagent.evaluation.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.EvalMain.UsageException;
import dev.supportagent.evaluation.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorporaTest {

  @TempDir Path dir;

  private static Options options(String... args) {
    return Options.parse(args, Set.of("--corpus", "--questions"));
  }

  @Test
  void should_pair_corpora_with_their_questions_in_order_and_name_them_by_folder() throws Exception {
    Path help = Files.createDirectories(dir.resolve("help-centre"));
    Path d2d = Files.createDirectories(dir.resolve("doc2dial-dev/corpus"));

    List<Corpora.Corpus> corpora =
        Corpora.parse(options("--corpus", help.toString(), "--questions", "a.jsonl",
            "--corpus", d2d.toString(), "--questions", "b.jsonl"), "retrieval");

    assertEquals(List.of("help-centre", "doc2dial-dev"), corpora.stream().map(Corpora.Corpus::name).toList());
    assertEquals(Path.of("b.jsonl"), corpora.get(1).questions());
  }

  @Test
  void should_name_a_corpus_given_twice_by_its_question_files() throws Exception {
    Path help = Files.createDirectories(dir.resolve("help"));

    List<Corpora.Corpus> corpora =
        Corpora.parse(options("--corpus", help.toString(), "--questions", "a.jsonl",
            "--corpus", help.toString(), "--questions", "b.jsonl"), "answers");

    assertEquals(List.of("help~a", "help~b"), corpora.stream().map(Corpora.Corpus::name).toList());
  }

  @Test
  void should_refuse_unpaired_or_missing_corpora() throws Exception {
    Path help = Files.createDirectories(dir.resolve("help"));

    UsageException unpaired =
        assertThrows(UsageException.class,
            () -> Corpora.parse(options("--corpus", help.toString(), "--questions", "a.jsonl",
                "--corpus", help.toString()), "retrieval"));
    assertTrue(unpaired.getMessage().contains("in pairs"), unpaired.getMessage());
    assertThrows(UsageException.class,
        () -> Corpora.parse(options("--corpus", dir.resolve("none").toString(), "--questions", "a.jsonl"), "retrieval"));
    assertThrows(UsageException.class, () -> Corpora.parse(options("--questions", "a.jsonl"), "retrieval"));
  }
}
