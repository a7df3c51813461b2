package dev.supportagent.activities.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Sentence splitting and content words, in plain loops: linear, no regular expressions. */
final class Sentences {

  /** A sentence of a reply: {@code text.substring(start, end)}, its citation markers included. */
  record Sentence(int start, int end) {}

  private static final Set<String> STOPWORDS =
      Set.of(
          "the", "and", "for", "are", "but", "not", "you", "your", "yours", "with", "this", "that", "these", "those",
          "from", "have", "has", "had", "was", "were", "will", "would", "can", "could", "should", "may", "might", "must",
          "shall", "our", "ours", "their", "they", "them", "there", "here", "what", "which", "who", "whom", "when",
          "where", "why", "how", "all", "any", "each", "also", "into", "onto", "about", "than", "then", "its", "it's",
          "out", "off", "over", "under", "again", "just", "only", "very", "too", "some", "such", "own", "same", "other",
          "more", "most", "does", "did", "doing", "done", "been", "being", "him", "his", "her", "hers", "she", "one",
          "yes", "please", "thanks", "thank", "let", "know", "sure", "happy", "help", "glad", "via", "per", "use",
          "using", "get", "got", "etc", "i'm", "we're", "you're", "don't", "can't", "won't", "isn't", "aren't");

  private Sentences() {}

  /**
   * Splits after {@code .}, {@code !} or {@code ?} followed by white space, and at line breaks; a
   * citation marker after the punctuation ({@code "… here. [2] Next"}) stays with its sentence.
   */
  static List<Sentence> split(String text) {
    List<Sentence> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int end = -1;
      if (c == '\n') {
        end = i;
      } else if ((c == '.' || c == '!' || c == '?') && (i + 1 == n || Character.isWhitespace(text.charAt(i + 1)))) {
        end = i + 1;
        int j = i + 1;
        // markers right after the full stop: "… here. [2][3]"
        while (true) {
          int k = j;
          while (k < n && text.charAt(k) == ' ') {
            k++;
          }
          int close = markerEnd(text, k);
          if (close < 0) {
            break;
          }
          end = close;
          j = close;
        }
      }
      if (end >= 0) {
        add(out, text, start, end);
        start = end;
        i = Math.max(i + 1, end);
      } else {
        i++;
      }
    }
    add(out, text, start, n);
    return out;
  }

  /** The end of a citation marker {@code [12]} starting at {@code i}, or -1. */
  static int markerEnd(String text, int i) {
    if (i >= text.length() || text.charAt(i) != '[') {
      return -1;
    }
    int j = i + 1;
    while (j < text.length() && j - i <= 4 && Character.isDigit(text.charAt(j))) {
      j++;
    }
    return j > i + 1 && j < text.length() && text.charAt(j) == ']' ? j + 1 : -1;
  }

  private static void add(List<Sentence> out, String text, int start, int end) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (end > start) {
      out.add(new Sentence(start, end));
    }
  }

  /** Content words of {@code text}: lower case, three letters or more, not stop words, crudely stemmed. */
  static List<String> contentWords(String text) {
    List<String> words = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || (text.charAt(i) == '\'' && i + 1 < n
          && Character.isLetter(text.charAt(i + 1))))) {
        i++;
      }
      if (i > start) {
        String word = text.substring(start, i).toLowerCase(Locale.ROOT);
        boolean number = Character.isDigit(word.charAt(0));
        if ((number || word.length() >= 3) && !STOPWORDS.contains(word)) {
          words.add(stem(word));
        }
      }
    }
    return words;
  }

  static Set<String> contentWordSet(Iterable<String> texts) {
    Set<String> set = new HashSet<>();
    for (String t : texts) {
      set.addAll(contentWords(t));
    }
    return set;
  }

  /** Lower-case words of {@code text}, every word kept: for n-gram overlap. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }

  /** Plural, past and -ing endings off, so "resets" meets "reset" and "charged" meets "charge". */
  static String stem(String w) {
    if (w.endsWith("'s")) {
      w = w.substring(0, w.length() - 2);
    }
    if (w.length() > 5 && w.endsWith("ing")) {
      return w.substring(0, w.length() - 3);
    }
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 4 && (w.endsWith("ed") || w.endsWith("es"))) {
      return w.substring(0, w.length() - 2);
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    if (w.length() > 4 && w.endsWith("e")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }
}
