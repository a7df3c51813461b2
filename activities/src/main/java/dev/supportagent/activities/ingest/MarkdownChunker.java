package dev.supportagent.activities.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Markdown document into chunks along its headings, then into overlapping word windows
 * where a section is long. The first level-1 heading is the title.
 */
public final class MarkdownChunker {

  private static final Pattern WORD_WITH_SPACE = Pattern.compile("\\S+\\s*");

  public static final int DEFAULT_WINDOW_WORDS = 150;
  public static final int DEFAULT_OVERLAP_WORDS = 30;

  private final int windowWords;
  private final int overlapWords;

  public MarkdownChunker() {
    this(DEFAULT_WINDOW_WORDS, DEFAULT_OVERLAP_WORDS);
  }

  public MarkdownChunker(int windowWords, int overlapWords) {
    if (windowWords < 10 || overlapWords < 0 || overlapWords >= windowWords) {
      throw new IllegalArgumentException(
          "need windowWords >= 10 and 0 <= overlapWords < windowWords");
    }
    this.windowWords = windowWords;
    this.overlapWords = overlapWords;
  }

  public List<Chunk> chunk(String documentId, String markdown) {
    String title = null;
    String[] headings = new String[7];
    List<Chunk> chunks = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    String section = null;
    for (String line : markdown.split("\r?\n")) {
      int level = headingLevel(line);
      if (level == 0) {
        body.append(line).append('\n');
        continue;
      }
      String heading = line.substring(level).strip();
      if (level == 1 && title == null) {
        title = heading;
        continue;
      }
      addWindows(chunks, documentId, title, section, body);
      body.setLength(0);
      headings[level] = heading;
      for (int l = level + 1; l < headings.length; l++) {
        headings[l] = null;
      }
      section = sectionPath(headings);
    }
    addWindows(chunks, documentId, title, section, body);
    if (title == null) {
      String fallback = fileTitle(documentId);
      chunks.replaceAll(c -> new Chunk(c.documentId(), fallback, c.section(), c.index(), c.text()));
    }
    return chunks;
  }

  private void addWindows(
      List<Chunk> chunks, String documentId, String title, String section, CharSequence body) {
    // each piece is a word with the white space after it, so line breaks (lists, tables) survive
    List<String> pieces = new ArrayList<>();
    Matcher m = WORD_WITH_SPACE.matcher(body.toString().strip());
    while (m.find()) {
      pieces.add(m.group());
    }
    if (pieces.isEmpty()) {
      return;
    }
    int step = windowWords - overlapWords;
    for (int start = 0; start < pieces.size(); start += step) {
      int end = Math.min(pieces.size(), start + windowWords);
      String text = String.join("", pieces.subList(start, end)).strip();
      chunks.add(new Chunk(documentId, title, section, chunks.size(), text));
      if (end == pieces.size()) {
        break;
      }
    }
  }

  private static int headingLevel(String line) {
    int level = 0;
    while (level < line.length() && level < 7 && line.charAt(level) == '#') {
      level++;
    }
    boolean heading = level >= 1 && level <= 6 && line.length() > level && line.charAt(level) == ' ';
    return heading ? level : 0;
  }

  private static String sectionPath(String[] headings) {
    StringBuilder path = new StringBuilder();
    for (int l = 2; l < headings.length; l++) {
      if (headings[l] != null) {
        if (path.length() > 0) {
          path.append(" > ");
        }
        path.append(headings[l]);
      }
    }
    return path.length() == 0 ? null : path.toString();
  }

  private static String fileTitle(String documentId) {
    String name = documentId.substring(documentId.lastIndexOf('/') + 1).replaceFirst("\\.[^.]+$", "");
    return name.replace('-', ' ').replace('_', ' ');
  }
}
