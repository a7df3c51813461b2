package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownChunkerTest {

  @Test
  void should_take_the_title_and_section_path_from_headings() {
    String md = "# Refunds\nIntro text here.\n## Annual plans\nYearly text.\n### Partial years\nPro rata.\n## Hardware\nThirty days.";

    List<Chunk> chunks = new MarkdownChunker().chunk("billing/refunds.md", md);

    assertEquals(4, chunks.size());
    assertTrue(chunks.stream().allMatch(c -> c.title().equals("Refunds")));
    assertNull(chunks.get(0).section());
    assertEquals("Annual plans", chunks.get(1).section());
    assertEquals("Annual plans > Partial years", chunks.get(2).section());
    assertEquals("Hardware", chunks.get(3).section());
    assertEquals("Refunds > Annual plans > Partial years\nPro rata.", chunks.get(2).embeddingText());
  }

  @Test
  void should_split_long_sections_into_overlapping_windows() {
    StringBuilder body = new StringBuilder("# T\n");
    for (int i = 0; i < 250; i++) {
      body.append("w").append(i).append(' ');
    }

    List<Chunk> chunks = new MarkdownChunker(100, 20).chunk("a.md", body.toString());

    assertEquals(3, chunks.size());
    assertTrue(chunks.get(0).text().startsWith("w0 ") && chunks.get(0).text().endsWith(" w99"));
    assertTrue(chunks.get(1).text().startsWith("w80 "), "windows overlap by 20 words");
    assertTrue(chunks.get(2).text().endsWith(" w249"));
    assertEquals(List.of(0, 1, 2), chunks.stream().map(Chunk::index).toList());
  }

  @Test
  void should_name_an_untitled_document_after_its_file_and_skip_empty_sections() {
    List<Chunk> chunks = new MarkdownChunker().chunk("shipping/order-tracking.md", "## Empty\n\n## Steps\nOpen the app.");

    assertEquals(1, chunks.size());
    assertEquals("order tracking", chunks.get(0).title());
    assertEquals("Steps", chunks.get(0).section());
  }

  @Test
  void should_not_take_hashtags_for_headings() {
    List<Chunk> chunks = new MarkdownChunker().chunk("a.md", "# Title\n#hashtag is text\n####### seven is text");

    assertEquals(1, chunks.size());
    assertTrue(chunks.get(0).text().contains("#hashtag"));
  }

  @Test
  void should_keep_line_breaks_so_lists_and_tables_stay_readable() {
    List<Chunk> chunks = new MarkdownChunker().chunk("a.md", "# T\n## Steps\n1. Open the app.\n2. Tap Reset.\n\n| a | b |");

    assertEquals("1. Open the app.\n2. Tap Reset.\n\n| a | b |", chunks.get(0).text());
  }

  @Test
  void should_reject_an_overlap_as_large_as_the_window() {
    assertThrows(IllegalArgumentException.class, () -> new MarkdownChunker(50, 50));
  }
}
