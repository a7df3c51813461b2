package dev.supportagent.activities.model;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline extractive answerer: composes an answer from the retrieved passages' own sentences,
 * the ones sharing the most content words with the question, and cites their documents. It needs
 * no model, costs nothing, is deterministic, and is the last fallback of every model chain.
 */
public final class OfflineAnswerer {

  public static final String MODEL = "offline-extractive";
  public static final String TIER = "offline";
  public static final String PROMPT_VERSION = "offline-v1";
  public static final String DECLINE_TEXT =
      "I couldn't find anything about that in our help centre, so I'd rather not guess. Would you"
          + " like me to connect you with a person from our support team?";

  static final int MAX_SENTENCES = 3;
  static final int MAX_PASSAGES = 3;

  private static final Set<String> STOPWORDS =
      Set.of(
          "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with",
          "by", "from", "is", "are", "was", "were", "be", "been", "do", "does", "did", "can",
          "could", "should", "would", "will", "i", "you", "me", "my", "your", "we", "our", "it",
          "its", "this", "that", "these", "those", "how", "what", "when", "where", "which", "who",
          "why", "there", "their", "they", "them", "have", "has", "had", "not", "no", "so", "as",
          "about", "any", "some", "get", "please", "hi", "hello", "thanks", "thank", "am", "up",
          "into", "than", "then", "just", "also", "too", "very", "much", "many");

  private static final Pattern TABLE_RULE =
      Pattern.compile("\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?");
  private static final Pattern LIST_MARKER =
      Pattern.compile("^(?:[-*+]|\\d{1,3}\\.)\\s+");
  private static final Pattern EMPHASIS = Pattern.compile("\\*\\*|__|`");
  /** Sentences about the article rather than the subject. */
  private static final Pattern META =
      Pattern.compile("(?i)(this article|this page|see (the|our) )");

  private record Candidate(int passageRank, int position, String sentence, double score) {}

  public GeneratedAnswer answer(String question, List<Passage> passages, boolean relevant) {
    long tokensIn = words(question) + passages.stream().mapToLong(p -> words(p.text())).sum();
    if (!relevant || passages.isEmpty()) {
      return answer(DECLINE_TEXT, List.of(), true, tokensIn);
    }
    Set<String> questionTerms = terms(question);
    List<Candidate> candidates = new ArrayList<>();
    List<Passage> top = passages.subList(0, Math.min(MAX_PASSAGES, passages.size()));
    for (int rank = 0; rank < top.size(); rank++) {
      Passage passage = top.get(rank);
      // a passage whose title or section names the question's subject lends its sentences weight
      String heading = passage.title() + " " + (passage.section() == null ? "" : passage.section());
      double headingBonus = 0.1 * overlap(questionTerms, terms(heading));
      List<String> sentences = sentences(passage.text());
      for (int pos = 0; pos < sentences.size(); pos++) {
        String s = sentences.get(pos);
        double matched = overlap(questionTerms, terms(s));
        double score = matched == 0 ? 0 : matched / Math.sqrt(Math.max(4, words(s))) + headingBonus;
        // earlier passages are more relevant: a small rank penalty breaks ties their way
        candidates.add(new Candidate(rank, pos, s, score - 0.05 * rank));
      }
    }
    List<Candidate> chosen =
        candidates.stream()
            .filter(c -> c.score() > 0)
            .sorted(Comparator.comparingDouble(Candidate::score).reversed())
            .limit(MAX_SENTENCES * 2L)
            .toList();
    List<Candidate> picked = dedupe(chosen);
    if (picked.isEmpty()) {
      List<String> first = sentences(top.get(0).text());
      for (int i = 0; i < Math.min(2, first.size()); i++) {
        picked.add(new Candidate(0, i, first.get(i), 0));
      }
    }
    if (picked.isEmpty()) {
      // the passages hold no sentence to answer from (headings, short lines): say so, don't send nothing
      return answer(DECLINE_TEXT, List.of(), true, tokensIn);
    }
    picked.sort(Comparator.comparingInt(Candidate::passageRank).thenComparingInt(Candidate::position));

    Map<String, Integer> citationNumbers = new LinkedHashMap<>();
    List<Citation> citations = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Candidate c : picked) {
      Passage p = top.get(c.passageRank());
      Integer n = citationNumbers.get(p.documentId());
      if (n == null) {
        n = citationNumbers.size() + 1;
        citationNumbers.put(p.documentId(), n);
        citations.add(new Citation(p.documentId(), p.title(), p.url(), p.section()));
      }
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(c.sentence()).append(" [").append(n).append(']');
    }
    return answer(text.toString(), citations, false, tokensIn);
  }

  private static GeneratedAnswer answer(
      String text, List<Citation> citations, boolean declined, long tokensIn) {
    return new GeneratedAnswer(
        text, citations, declined, MODEL, TIER, PROMPT_VERSION, tokensIn, words(text), 0.0, 0);
  }

  private static List<Candidate> dedupe(List<Candidate> ranked) {
    List<Candidate> picked = new ArrayList<>();
    List<Set<String>> seen = new ArrayList<>();
    for (Candidate c : ranked) {
      Set<String> t = terms(c.sentence());
      boolean repeat = seen.stream().anyMatch(s -> jaccard(s, t) > 0.6);
      if (!repeat) {
        picked.add(c);
        seen.add(t);
      }
      if (picked.size() == MAX_SENTENCES) {
        break;
      }
    }
    return picked;
  }

  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n");
    List<String> header = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("|")) {
        List<String> cells = cells(line);
        boolean headerRow = i + 1 < lines.length && TABLE_RULE.matcher(lines[i + 1].strip()).matches();
        if (headerRow) {
          header = cells;
          continue;
        }
        String row = tableRow(header, cells);
        if (words(row) >= 3) {
          out.add(row);
        }
        continue;
      }
      header = TABLE_RULE.matcher(line).matches() ? header : null;
      String cleaned = plain(line);
      if (cleaned.isEmpty()) {
        continue;
      }
      for (String s : cleaned.split("(?<=[.!?])\\s+(?=[A-Z0-9\"'(])")) {
        String st = s.strip();
        if (words(st) >= 3 && !META.matcher(st).lookingAt()) {
          out.add(st);
        }
      }
    }
    return out;
  }

  /** One line of Markdown as plain text: no list markers, emphasis or table rules. */
  static String plain(String line) {
    if (TABLE_RULE.matcher(line).matches()) {
      return "";
    }
    String s = LIST_MARKER.matcher(line).replaceFirst("");
    return EMPHASIS.matcher(s).replaceAll("").strip();
  }

  private static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    for (String cell : row.replaceAll("^\\||\\|$", "").split("\\|")) {
      cells.add(plain(cell));
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

  static Set<String> terms(String text) {
    Set<String> terms = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() > 1 && !STOPWORDS.contains(w)) {
        terms.add(stem(w));
      }
    }
    return terms;
  }

  private static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 4 && w.endsWith("ing")) {
      return w.substring(0, w.length() - 3);
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static double overlap(Set<String> a, Set<String> b) {
    int n = 0;
    for (String t : a) {
      if (b.contains(t)) {
        n++;
      }
    }
    return n;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    return overlap(a, b) / union.size();
  }

  private static long words(String s) {
    String t = s == null ? "" : s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
