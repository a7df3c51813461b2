package dev.supportagent.activities.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A passage's text as the whole sentences an extractive answer may quote, in their order. Markdown
 * is read as plain text (list markers, emphasis and the passage's own citation markers out; a table
 * row becomes a sentence naming its columns; a list after a line ending in a colon is read with
 * that line as one sentence), and what does not inform on its own is left out: headings and other
 * short lines without a full stop, labels, lines and fragments ending in a colon or a dangling word
 * ("include", "the following"), questions (FAQ headings), code, and lines that are mostly numbers
 * or symbols (contact blocks, captions).
 */
final class PassageSentences {

  /** Fewer words than this never make a sentence worth quoting. */
  static final int MIN_WORDS = 4;
  /** A line without a full stop this long or longer is read as a sentence missing its stop. */
  static final int MIN_WORDS_UNPUNCTUATED = 12;
  /** List items this short or shorter are joined to the colon-ended line that introduces them. */
  static final int MAX_JOINED_ITEM_WORDS = 12;
  static final int MAX_JOINED_ITEMS = 8;

  private static final Pattern TABLE_RULE =
      Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");
  private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*+•]|\\d{1,3}[.)])\\s+");
  private static final Pattern EMPHASIS = Pattern.compile("\\*\\*|__|`");
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");
  /** The source's own footnote or citation markers: {@code [1]}, {@code [3 ]}. */
  private static final Pattern SOURCE_MARKER = Pattern.compile("\\s*\\[\\s*\\d{1,3}\\s*]");
  /** Sentences about the article rather than the subject. */
  private static final Pattern META =
      Pattern.compile("(?i)^(this article|this page|this guide|this section|see (the|our|also) |"
          + "learn more|read more|click here|return to )");
  /** Splits after a full stop, question or exclamation mark followed by a capital, digit or quote. */
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}0-9\"'(“])");
  /** Words a sentence does not end on: the rest of it is missing. */
  private static final Set<String> DANGLING_END =
      Set.of("include", "includes", "including", "following", "the", "a", "an", "and", "or", "to", "of",
          "for", "with", "as", "such", "are", "is", "by", "from", "in", "on", "at", "your", "these", "below");
  /** Abbreviations after which a full stop does not end a sentence. */
  private static final Set<String> ABBREVIATIONS =
      Set.of("e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "st.", "no.", "approx.", "incl.",
          "min.", "max.", "fig.", "u.s.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.");

  private PassageSentences() {}

  /** The informative sentences of {@code text}, in order. */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    List<String> candidates = candidates(text);
    for (int i = 0; i < candidates.size(); i++) {
      String s = candidates.get(i);
      // a chunk is cut at a word, not a sentence: its last piece without a stop is a fragment
      boolean cut = i == candidates.size() - 1 && !stopped(s);
      if (!cut && informative(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean stopped(String s) {
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    return last == '.' || last == '!' || last == ')' && s.contains(".");
  }

  /**
   * Capitalised words right after a lower-case word with no punctuation between: where headings
   * run into each other or into a sentence ("Get health care Manage your benefits"). "I" and
   * acronyms don't count.
   */
  static int headingBreaks(String s) {
    String[] w = s.split("\\s+");
    int n = 0;
    for (int i = 1; i < w.length; i++) {
      String prev = w[i - 1];
      String cur = w[i];
      boolean prevLower = !prev.isEmpty() && Character.isLowerCase(prev.charAt(prev.length() - 1));
      boolean capitalised = cur.length() > 1 && Character.isUpperCase(cur.charAt(0))
          && Character.isLowerCase(cur.charAt(1));
      if (prevLower && capitalised) {
        n++;
      }
    }
    return n;
  }

  /** Every sentence-like piece of {@code text}, informative or not, in order. */
  static List<String> candidates(String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    List<String> header = null;
    boolean code = false;
    for (int i = 0; i < lines.length; i++) {
      String raw = lines[i];
      String line = raw.strip();
      if (line.startsWith("```") || line.startsWith("~~~")) {
        code = !code;
        continue;
      }
      boolean indentedCode = (raw.startsWith("    ") || raw.startsWith("\t")) && !LIST_MARKER.matcher(line).find();
      if (code || indentedCode || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith(">")) {
        line = line.substring(1).strip();
      }
      if (line.startsWith("|")) {
        List<String> cells = cells(line);
        boolean headerRow = i + 1 < lines.length && TABLE_RULE.matcher(lines[i + 1].strip()).matches();
        if (headerRow) {
          header = cells;
        } else if (!TABLE_RULE.matcher(line).matches()) {
          out.add(tableRow(header, cells));
        }
        continue;
      }
      header = null;
      String cleaned = plain(line);
      if (cleaned.isEmpty()) {
        continue;
      }
      if (cleaned.endsWith(":") && !LIST_MARKER.matcher(line).find()) {
        // an introduction to a list: read with its short items as one sentence
        List<String> items = new ArrayList<>();
        int j = i + 1;
        while (j < lines.length && LIST_MARKER.matcher(lines[j].strip()).find()) {
          items.add(plain(lines[j].strip()).replaceAll("[.;,]+$", ""));
          j++;
        }
        boolean shortItems = !items.isEmpty() && items.size() <= MAX_JOINED_ITEMS
            && items.stream().allMatch(it -> words(it) <= MAX_JOINED_ITEM_WORDS && !it.contains(". "));
        if (shortItems) {
          out.addAll(split(cleaned.substring(0, cleaned.length() - 1).strip() + ": " + join(items) + "."));
          i = j - 1;
          continue;
        }
      }
      out.addAll(split(cleaned));
    }
    return out;
  }

  /** Whether {@code s} informs on its own: see the class comment. */
  static boolean informative(String s) {
    int n = words(s);
    if (n < MIN_WORDS || META.matcher(s).find()) {
      return false;
    }
    char last = s.charAt(s.length() - 1);
    if (last == ':' || last == '?' || last == ',' || last == ';') {
      return false;
    }
    boolean stopped = stopped(s);
    // a sentence cut at its start by the chunk's window ("benefit based on your work.")
    if (Character.isLowerCase(s.charAt(0)) && !(s.length() > 1 && Character.isUpperCase(s.charAt(1)))) {
      return false;
    }
    String[] tokens = s.toLowerCase(Locale.ROOT).split("\\s+");
    String lastWord = tokens[tokens.length - 1].replaceAll("[^\\p{L}]", "");
    if (DANGLING_END.contains(lastWord)) {
      return false;
    }
    if (!stopped && (n < MIN_WORDS_UNPUNCTUATED || titleCase(s) || headingBreaks(s) > 0)) {
      return false;
    }
    // contact blocks, codes and captions: mostly numbers and symbols
    int wordsWithLetters = 0;
    for (String t : tokens) {
      if (t.chars().filter(Character::isLetter).count() >= 2) {
        wordsWithLetters++;
      }
    }
    return wordsWithLetters >= MIN_WORDS && wordsWithLetters >= 0.6 * tokens.length;
  }

  /** Most words capitalised: a heading or a label. */
  private static boolean titleCase(String s) {
    int words = 0;
    int capitalised = 0;
    for (String w : s.split("\\s+")) {
      if (w.length() > 3 && Character.isLetter(w.charAt(0))) {
        words++;
        if (Character.isUpperCase(w.charAt(0))) {
          capitalised++;
        }
      }
    }
    return words > 0 && capitalised >= 0.7 * words;
  }

  private static String join(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  /** One line split into sentences, not after abbreviations, initials or a number's point. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String piece : SENTENCE_END.split(line)) {
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(piece.strip());
      String lastWord = lastWord(current);
      boolean notAnEnd = ABBREVIATIONS.contains(lastWord.toLowerCase(Locale.ROOT))
          || lastWord.length() == 2 && Character.isUpperCase(lastWord.charAt(0)) && lastWord.endsWith(".");
      if (!notAnEnd) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String lastWord(CharSequence s) {
    int end = s.length();
    int start = end;
    while (start > 0 && !Character.isWhitespace(s.charAt(start - 1))) {
      start--;
    }
    return s.subSequence(start, end).toString();
  }

  /** One line of Markdown as plain text: no list markers, emphasis, links' targets or source markers. */
  static String plain(String line) {
    if (TABLE_RULE.matcher(line).matches()) {
      return "";
    }
    String s = LIST_MARKER.matcher(line).replaceFirst("");
    s = LINK.matcher(s).replaceAll("$1");
    s = SOURCE_MARKER.matcher(s).replaceAll("");
    s = EMPHASIS.matcher(s).replaceAll("");
    // spaced punctuation of text extracted from web pages: "rights , you" reads "rights, you"
    s = s.replaceAll("\\s+([,.;:!?])(?=\\s|$)", "$1");
    return s.replaceAll("\\s{2,}", " ").strip();
  }

  private static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    for (String cell : row.replaceAll("^\\||\\|$", "").split("\\|")) {
      cells.add(plain(cell.strip()));
    }
    return cells;
  }

  /** A table row as a sentence, each cell named by its column: "PayPal: US yes, EU yes." */
  private static String tableRow(List<String> header, List<String> cells) {
    if (cells.isEmpty() || cells.stream().allMatch(String::isEmpty)) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (int c = 1; c < cells.size(); c++) {
      String name = header != null && c < header.size() ? header.get(c).replaceAll("[?:]+$", "") : "";
      parts.add(name.isEmpty() ? cells.get(c) : name + " " + cells.get(c));
    }
    String s = parts.isEmpty() ? cells.get(0) : cells.get(0) + ": " + String.join(", ", parts);
    return s.matches("(?s).*[.!?]$") ? s : s + ".";
  }

  static int words(String s) {
    String t = s == null ? "" : s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
