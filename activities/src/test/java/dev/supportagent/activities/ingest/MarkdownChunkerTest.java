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
  void should_count_tokens_with_the_embedding_models_word_pieces() {
    ModelTokenizer tokenizer = ModelTokenizer.shared();

    assertEquals(2, tokenizer.count("Hello world"));
    assertTrue(tokenizer.count("Reconfigurability") > 1, "a rare word is several word pieces");
    assertEquals(0, tokenizer.count(""));
  }

  @Test
  void should_split_long_sections_into_overlapping_windows_within_the_token_limit() {
    StringBuilder body = new StringBuilder("# Title\n## Section\n");
    for (int i = 0; i < 600; i++) {
      body.append("word").append(i).append(i % 12 == 11 ? ".\n" : " ");
    }

    List<Chunk> chunks = new MarkdownChunker(128, 24).chunk("a.md", body.toString());

    ModelTokenizer tokenizer = ModelTokenizer.shared();
    assertTrue(chunks.size() >= 10, "600 words of 3 to 4 pieces each need many 128-token windows");
    for (Chunk chunk : chunks) {
      int tokens = tokenizer.count(chunk.embeddingText());
      boolean last = chunk.index() == chunks.size() - 1;
      assertTrue(tokens <= 128 && (last || tokens >= 100), "chunk " + chunk.index() + " has " + tokens + " tokens");
    }
    assertTrue(chunks.get(0).text().startsWith("word0 "));
    assertTrue(chunks.get(chunks.size() - 1).text().endsWith("word599."));
    for (int i = 1; i < chunks.size(); i++) {
      String previous = chunks.get(i - 1).text();
      String firstWord = chunks.get(i).text().split("\\s+")[0];
      assertTrue(List.of(previous.split("\\s+")).contains(firstWord),
          "chunk " + i + " starts inside the previous one (overlap)");
      assertTrue(!chunks.get(i - 1).text().startsWith(firstWord), "windows move forward");
    }
    assertEquals(chunks.size() - 1, chunks.get(chunks.size() - 1).index());
  }

  @Test
  void should_cut_a_word_longer_than_a_window_between_its_tokens() {
    // no white space, so one "word", but thousands of pieces (punctuation splits word pieces;
    // a plain run of letters over 100 characters would be a single [UNK])
    String blob = "ab-".repeat(1500) + "ab";

    List<Chunk> chunks = new MarkdownChunker(128, 24).chunk("a.md", "# T\nSee " + blob + " end");

    ModelTokenizer tokenizer = ModelTokenizer.shared();
    assertTrue(chunks.size() > 10);
    chunks.forEach(c -> assertTrue(tokenizer.count(c.embeddingText()) <= 128 + 2, tokenizer.count(c.embeddingText()) + " tokens: " + c.text()));
    String joined = String.join("", chunks.stream().map(Chunk::text).toList());
    assertTrue(joined.replaceAll("\\s", "").contains(blob), "pieces cover the word without overlap");
    assertTrue(joined.endsWith(" end"));
  }

  @Test
  void should_keep_a_tiny_document_whole() {
    List<Chunk> chunks = new MarkdownChunker().chunk("a.md", "# Opening hours\nWe open at nine.");

    assertEquals(1, chunks.size());
    assertEquals("We open at nine.", chunks.get(0).text());
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
    assertThrows(IllegalArgumentException.class, () -> new MarkdownChunker(128, 64));
    assertThrows(IllegalArgumentException.class, () -> new MarkdownChunker(16, 0));
  }
}
