package dev.supportagent.activities.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Markdown document into chunks along its headings, then into overlapping windows where a
 * section is long. Sizes are counted in the embedding model's own tokens ({@link ModelTokenizer}),
 * including the title and section path each chunk is embedded with, and windows end at word
 * boundaries (a single word longer than a window is cut between its tokens). The first level-1
 * heading is the title.
 */
public final class MarkdownChunker {

  private static final Pattern WORD_WITH_SPACE = Pattern.compile("\\S+\\s*");

  /**
   * Tokens per chunk, title and section path included. all-MiniLM-L6-v2 was trained on sequences of
   * up to 256 word pieces, and the retrieval suite measured chunks of this size (docs/results.md).
   */
  public static final int DEFAULT_MAX_TOKENS = 256;
  public static final int DEFAULT_OVERLAP_TOKENS = 48;
  /** Room left for the body when a very long title and section path would leave less. */
  private static final int MIN_BODY_TOKENS = 32;

  private final ModelTokenizer tokenizer;
  private final int maxTokens;
  private final int overlapTokens;

  public MarkdownChunker() {
    this(DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS);
  }

  public MarkdownChunker(int maxTokens, int overlapTokens) {
    this(ModelTokenizer.shared(), maxTokens, overlapTokens);
  }

  MarkdownChunker(ModelTokenizer tokenizer, int maxTokens, int overlapTokens) {
    if (maxTokens < 2 * MIN_BODY_TOKENS || overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
      throw new IllegalArgumentException(
          "need maxTokens >= " + 2 * MIN_BODY_TOKENS + " and 0 <= overlapTokens < maxTokens / 2");
    }
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public List<Chunk> chunk(String documentId, String markdown) {
    String title = null;
    String[] headings = new String[7];
    List<Section> sections = new ArrayList<>();
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
      sections.add(new Section(section, body.toString()));
      body.setLength(0);
      headings[level] = heading;
      for (int l = level + 1; l < headings.length; l++) {
        headings[l] = null;
      }
      section = sectionPath(headings);
    }
    sections.add(new Section(section, body.toString()));
    String documentTitle = title == null ? fileTitle(documentId) : title;
    List<Chunk> chunks = new ArrayList<>();
    for (Section s : sections) {
      addWindows(chunks, documentId, documentTitle, s.path(), s.body().strip());
    }
    return chunks;
  }

  private record Section(String path, String body) {}

  private void addWindows(
      List<Chunk> chunks, String documentId, String title, String section, String body) {
    if (body.isEmpty()) {
      return;
    }
    String prefix = new Chunk(documentId, title, section, 0, "").embeddingText();
    int budget = Math.max(MIN_BODY_TOKENS, maxTokens - tokenizer.count(prefix));
    int overlap = Math.min(overlapTokens, budget / 2 - 1);
    List<int[]> units = units(body, budget); // {start offset, tokens}
    int first = 0;
    while (first < units.size()) {
      int tokens = 0;
      int last = first;
      while (last < units.size() && (last == first || tokens + units.get(last)[1] <= budget)) {
        tokens += units.get(last)[1];
        last++;
      }
      int end = last == units.size() ? body.length() : units.get(last)[0];
      String text = body.substring(units.get(first)[0], end).strip();
      chunks.add(new Chunk(documentId, title, section, chunks.size(), text));
      if (last == units.size()) {
        break;
      }
      // step back over whole units until the overlap is reached, always moving forward
      int next = last;
      int carried = 0;
      while (next - 1 > first && carried + units.get(next - 1)[1] <= overlap) {
        next--;
        carried += units.get(next)[1];
      }
      first = next;
    }
  }

  /**
   * The body's words (each with the white space after it, so line breaks in lists and tables
   * survive), as {start offset, token count}; a word with more tokens than {@code budget} is cut
   * into pieces of at most {@code budget} tokens.
   */
  private List<int[]> units(String body, int budget) {
    int[] tokenStarts = tokenizer.tokenStarts(body);
    List<int[]> units = new ArrayList<>();
    Matcher m = WORD_WITH_SPACE.matcher(body);
    int t = 0;
    while (m.find()) {
      int wordStart = m.start();
      int wordEnd = m.end();
      while (t < tokenStarts.length && tokenStarts[t] < wordStart) {
        t++; // a token the word boundary did not line up with counts for the word before
      }
      int firstToken = t;
      while (t < tokenStarts.length && tokenStarts[t] < wordEnd) {
        t++;
      }
      int count = t - firstToken;
      if (count <= budget) {
        units.add(new int[] {wordStart, count});
        continue;
      }
      for (int piece = firstToken; piece < t; piece += budget) {
        int start = piece == firstToken ? wordStart : Math.max(wordStart, Math.min(tokenStarts[piece], wordEnd));
        units.add(new int[] {start, Math.min(budget, t - piece)});
      }
    }
    return units;
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
