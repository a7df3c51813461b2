package dev.supportagent.activities.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supportagent.activities.ingest.DocumentParser.UnreadableDocumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentParserTest {

  @TempDir Path dir;
  private final DocumentParser parser = new DocumentParser();

  /** A one-page PDF with a title in its metadata and the given lines of text. */
  static void writePdf(Path file, String title, List<String> lines) throws Exception {
    try (PDDocument pdf = new PDDocument()) {
      PDPage page = new PDPage();
      pdf.addPage(page);
      pdf.getDocumentInformation().setTitle(title);
      try (PDPageContentStream text = new PDPageContentStream(pdf, page)) {
        text.beginText();
        text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        text.newLineAtOffset(72, 700);
        for (String line : lines) {
          text.showText(line);
          text.newLineAtOffset(0, -16);
        }
        text.endText();
      }
      pdf.save(file.toFile());
    }
  }

  @Test
  void should_keep_markdown_as_it_is() throws Exception {
    Path md = Files.writeString(dir.resolve("a.md"), "# Title\n\n## Section\nBody.");

    assertEquals("# Title\n\n## Section\nBody.", parser.parse(md, "a.md"));
  }

  @Test
  void should_turn_html_headings_and_lists_into_markdown_without_scripts() throws Exception {
    Path html =
        Files.writeString(
            dir.resolve("page.html"),
            "<html><head><title>Shipping</title><script>alert(1)</script></head><body>"
                + "<nav>menu</nav><h1>Shipping</h1><p>We ship worldwide.</p><h2>Costs</h2>"
                + "<ul><li>UK: free</li><li>EU: 5 EUR</li></ul><h3>Express</h3><p>Next day.</p></body></html>");

    String md = parser.parse(html, "page.html");

    assertEquals(
        "# Shipping\n\nWe ship worldwide.\n\n\n## Costs\n\n- UK: free\n- EU: 5 EUR\n\n### Express\n\nNext day.\n\n", md);
    List<Chunk> chunks = new MarkdownChunker().chunk("page.html", md);
    assertEquals("Costs", chunks.get(1).section());
    assertEquals("Costs > Express", chunks.get(2).section());
  }

  @Test
  void should_title_plain_text_after_its_file_and_reject_invalid_utf8() throws Exception {
    Path txt = Files.writeString(dir.resolve("opening-hours.txt"), "We open at nine.");
    Path latin1 = Files.write(dir.resolve("old.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

    assertEquals("# Opening hours\n\nWe open at nine.", parser.parse(txt, "opening-hours.txt"));
    UnreadableDocumentException e = assertThrows(UnreadableDocumentException.class, () -> parser.parse(latin1, "old.txt"));
    assertTrue(e.getMessage().contains("UTF-8"));
  }

  @Test
  void should_extract_pdf_text_with_its_title() throws Exception {
    Path pdf = dir.resolve("warranty.pdf");
    writePdf(pdf, "Warranty terms", List.of("Bulbs carry a three year warranty.", "Keep your receipt."));

    String md = parser.parse(pdf, "warranty.pdf");

    assertTrue(md.startsWith("# Warranty terms\n"), md);
    assertTrue(md.contains("Bulbs carry a three year warranty."), md);
  }

  @Test
  void should_report_a_corrupt_pdf_and_an_unsupported_type() throws Exception {
    Path corrupt = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7 garbage".getBytes(StandardCharsets.US_ASCII));
    Path image = Files.write(dir.resolve("photo.png"), new byte[] {1, 2, 3});

    assertTrue(assertThrows(UnreadableDocumentException.class, () -> parser.parse(corrupt, "broken.pdf"))
        .getMessage().startsWith("unreadable PDF"));
    assertTrue(assertThrows(UnreadableDocumentException.class, () -> parser.parse(image, "photo.png"))
        .getMessage().startsWith("unsupported type .png"));
  }
}
