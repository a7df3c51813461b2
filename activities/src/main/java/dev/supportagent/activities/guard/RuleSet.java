package dev.supportagent.activities.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Rules of one scanner, read over every view of a normalised message. */
public final class RuleSet {

  /** A rule that matched, and in which view ({@code text}, {@code base64}, ...). */
  public record Hit(Rule rule, String source) {

    /** The verdict reasons: {@code rule:NAME}, and {@code via:SOURCE} when found in a decoded view. */
    public List<String> reasons() {
      return source.equals("text") || source.equals("unfolded")
          ? List.of("rule:" + rule.name())
          : List.of("rule:" + rule.name(), "via:" + source);
    }
  }

  private final List<Rule> rules;

  public RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Every rule that matches in some view, each once, with the first view it matched in. */
  public List<Hit> match(Normaliser.Normalised message, String original) {
    List<Hit> hits = new ArrayList<>();
    Set<String> matched = new LinkedHashSet<>();
    for (Rule rule : rules) {
      if (rule.pattern().flags() == 0) {
        // case-sensitive rules read the message as written (after NFKC and invisible removal)
        if (rule.matches(original) && matched.add(rule.name())) {
          hits.add(new Hit(rule, "text"));
        }
        continue;
      }
      for (Normaliser.View view : message.views()) {
        if (rule.compact() && !view.source().equals("spaced_letters")) {
          continue;
        }
        if (rule.matches(view.text()) && matched.add(rule.name())) {
          hits.add(new Hit(rule, view.source()));
          break;
        }
      }
    }
    return hits;
  }

  /** Whether any rule matches a plain text (for passages: no decoding, one view). */
  public List<Rule> matchPlain(String lowerCased) {
    List<Rule> out = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.compact() && rule.pattern().flags() != 0 && rule.matches(lowerCased)) {
        out.add(rule);
      }
    }
    return out;
  }
}
