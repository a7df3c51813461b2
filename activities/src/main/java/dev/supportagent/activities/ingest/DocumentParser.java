package dev.supportagent.activities.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns a Markdown, HTML, plain-text or PDF file into Markdown text for the heading-aware chunker:
 * HTML headings become {@code #} lines (jsoup), PDF text is extracted with PDFBox, plain text
 * must be valid UTF-8.
 */
public final class DocumentParser {

  public static final Set<String> TYPES = Set.of("md", "markdown", "html", "htm", "txt", "pdf");

  /** A file that cannot be read as a document; the message says why, for the ingestion report. */
  public static final class UnreadableDocumentException extends Exception {
    public UnreadableDocumentException(String message) {
      super(message);
    }
  }

  /** The document as Markdown, starting with a {@code # title} line. */
  public String parse(Path file, String documentId) throws UnreadableDocumentException, IOException {
    return parse(Files.readAllBytes(file), documentId);
  }

  /** The document's bytes as Markdown; the type is read from the id's extension. */
  public String parse(byte[] content, String documentId) throws UnreadableDocumentException {
    String type = extension(documentId);
    return switch (type) {
      case "md", "markdown" -> utf8(content);
      case "txt" -> "# " + titleFromName(documentId) + "\n\n" + utf8(content);
      case "html", "htm" -> html(utf8(content), documentId);
      case "pdf" -> pdf(content, documentId);
      default -> throw new UnreadableDocumentException(
          "unsupported type" + (type.isEmpty() ? "" : " ." + type) + " (supported: md, html, txt, pdf)");
    };
  }

  private static String utf8(byte[] bytes) throws UnreadableDocumentException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UnreadableDocumentException("not valid UTF-8 text (unknown encoding)");
    }
  }

  private static String html(String source, String documentId) {
    Document html = Jsoup.parse(source);
    html.select("script, style, nav, footer, header, noscript").remove();
    Element h1 = html.selectFirst("h1");
    String title = !html.title().isBlank() ? html.title() : h1 != null ? h1.text() : titleFromName(documentId);
    StringBuilder md = new StringBuilder("# ").append(title.strip()).append("\n\n");
    for (Element e : html.body().select("h1, h2, h3, h4, h5, h6, p, li, td, th, pre, blockquote")) {
      String text = e.text().strip();
      if (text.isEmpty() || (e == h1 && text.equals(title.strip()))) {
        continue;
      }
      switch (e.tagName()) {
        case "h1", "h2" -> md.append("\n## ").append(text).append("\n\n");
        case "h3" -> md.append("\n### ").append(text).append("\n\n");
        case "h4", "h5", "h6" -> md.append("\n#### ").append(text).append("\n\n");
        case "li" -> md.append("- ").append(text).append('\n');
        default -> {
          // nested blocks (a p inside an li) are read with their parent
          if (e.parents().stream().noneMatch(p -> p.tagName().equals("li") || p.tagName().equals("td"))) {
            md.append(text).append("\n\n");
          }
        }
      }
    }
    return md.toString();
  }

  private static String pdf(byte[] content, String documentId) throws UnreadableDocumentException {
    try (PDDocument pdf = Loader.loadPDF(content)) {
      String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
      String text = new PDFTextStripper().getText(pdf);
      if (text.isBlank()) {
        throw new UnreadableDocumentException("the PDF has no extractable text (scanned images need OCR)");
      }
      String heading = title == null || title.isBlank() ? titleFromName(documentId) : title.strip();
      return "# " + heading + "\n\n" + text;
    } catch (IOException e) {
      throw new UnreadableDocumentException("unreadable PDF: " + e.getClass().getSimpleName());
    }
  }

  static String extension(String documentId) {
    String name = documentId.substring(documentId.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static String titleFromName(String documentId) {
    String name = documentId.substring(documentId.lastIndexOf('/') + 1).replaceFirst("\\.[^.]+$", "");
    String words = name.replace('-', ' ').replace('_', ' ').strip();
    return words.isEmpty() ? documentId : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
