package dev.supportagent.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.evaluation.bench.CorpusReplica.Copy;
import dev.supportagent.evaluation.bench.CorpusReplica.Source;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class CorpusReplicaTest {

  private static final List<Source> SOURCES = List.of(
      source("a/one.md", "# One\n\nFirst body.\n"),
      source("a/two.md", "Intro without a title.\n"),
      source("three.html", "<html><body><h1>Three</h1><p>x</p></body></html>"),
      source("four.txt", "plain"));
  /** Chunks per source document, whatever the copy. */
  private static final Map<String, Integer> CHUNKS = Map.of("a/one.md", 3, "a/two.md", 1, "three.html", 0, "four.txt", 5);
  private static final ToIntFunction<Copy> COUNT =
      c -> CHUNKS.get(c.documentId().substring(c.documentId().indexOf('/') + 1));

  @Test
  void should_reach_the_target_and_stop_at_the_copy_that_reaches_it() {
    List<Copy> copies = CorpusReplica.replicate(SOURCES, 100, COUNT);

    long total = CorpusReplica.chunks(copies);
    Copy last = copies.get(copies.size() - 1);
    assertTrue(total >= 100, "reaches the target: " + total);
    assertTrue(total - last.chunks() < 100, "no copy beyond the one that reaches it: " + total);
  }

  @Test
  void should_give_every_copy_its_own_id_and_content_hash() {
    List<Copy> copies = CorpusReplica.replicate(SOURCES, 1_000, COUNT);

    assertEquals(copies.size(), new HashSet<>(copies.stream().map(Copy::documentId).toList()).size());
    assertEquals(copies.size(), new HashSet<>(copies.stream().map(Copy::contentHash).toList()).size());
    assertEquals("copy-00000/a/one.md", copies.get(0).documentId());
    assertEquals("copy-00001/a/one.md", copies.get(4).documentId());
  }

  @Test
  void should_mark_the_markdown_title_and_append_to_other_documents() {
    assertEquals("# One (revision 00007)\n\nFirst body.\n", text(CorpusReplica.copy(SOURCES.get(0), 7)));
    assertEquals("Intro without a title.\n\n\nRevision 00007.\n", text(CorpusReplica.copy(SOURCES.get(1), 7)));
    assertTrue(text(CorpusReplica.copy(SOURCES.get(2), 7)).endsWith("<p>Revision 00007.</p>\n"));
    assertEquals("# Later title (revision 00002)\nbody",
        text(CorpusReplica.copy(source("x.md", "# Later title\nbody"), 2)));
  }

  @Test
  void should_keep_the_largest_prefix_that_fits() {
    List<Copy> copies = CorpusReplica.replicate(SOURCES, 30, COUNT);

    assertEquals(0, CorpusReplica.prefix(copies, 0));
    assertEquals(0, CorpusReplica.prefix(copies, 2));
    assertEquals(3, CorpusReplica.prefix(copies, 4), "3 + 1 + 0 chunks fit in 4; the next copy has 5");
    assertEquals(copies.size(), CorpusReplica.prefix(copies, 1_000));
  }

  @Test
  void should_refuse_a_corpus_that_makes_no_chunks() {
    assertThrows(IllegalArgumentException.class, () -> CorpusReplica.replicate(SOURCES, 10, c -> 0));
  }

  private static Source source(String id, String text) {
    return new Source(id, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Copy copy) {
    return new String(copy.content(), StandardCharsets.UTF_8);
  }
}
