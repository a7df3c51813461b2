package dev.supportagent.activities.model;

import dev.supportagent.workflows.conversation.Citation;
import dev.supportagent.workflows.retrieval.Passage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a model's passage markers ({@code [2]}, as numbered in {@link PromptTemplates#userMessage})
 * to citations of the documents actually retrieved, numbered by first use as the offline answerer
 * numbers them. A marker for a number that was not given is dropped, so a reply can only cite what
 * was retrieved.
 */
public final class Citations {

  private static final Pattern MARKER = Pattern.compile("\\s?\\[(\\d{1,3})]");

  /** The reply with its markers renumbered by document, and the documents cited. */
  public record Resolved(String text, List<Citation> citations) {}

  private Citations() {}

  public static Resolved resolve(String text, List<Passage> passages) {
    Map<String, Integer> numbers = new LinkedHashMap<>();
    List<Citation> citations = new ArrayList<>();
    Matcher m = MARKER.matcher(text);
    StringBuilder out = new StringBuilder();
    String lastAppended = null;
    while (m.find()) {
      int given = Integer.parseInt(m.group(1));
      String replacement = "";
      if (given >= 1 && given <= passages.size()) {
        Passage p = passages.get(given - 1);
        Integer n = numbers.get(p.documentId());
        if (n == null) {
          n = numbers.size() + 1;
          numbers.put(p.documentId(), n);
          citations.add(new Citation(p.documentId(), p.title(), p.url(), p.section()));
        }
        String marker = "[" + n + "]";
        // two passages of one document cited side by side become one marker
        boolean repeat = marker.equals(lastAppended) && out.toString().endsWith(marker);
        replacement = repeat ? "" : (m.group().startsWith(" ") ? " " : "") + marker;
        lastAppended = marker;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Resolved(out.toString().strip(), citations);
  }
}
