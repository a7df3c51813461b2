package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code harmful_output}: a short list of rules for what a support reply must never say: self-harm
 * encouragement, threats, weapons and drug instructions, insults to the customer, dehumanising
 * statements about groups. A net under the model's own training, not a content classifier; the
 * input guard stops most requests that would lead here.
 */
public final class HarmfulOutputScanner implements OutputScanner {

  public static final String NAME = "harmful_output";

  /** Rule name to pattern; reasons are {@code rule:NAME}. */
  static final Map<String, Pattern> RULES = rules();

  private final ScanAction action;

  public HarmfulOutputScanner(ScanAction action) {
    this.action = action;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    List<String> reasons = new ArrayList<>();
    RULES.forEach((name, pattern) -> {
      if (pattern.matcher(text).find()) {
        reasons.add("rule:" + name);
      }
    });
    if (reasons.isEmpty()) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    return new Result(new ScanVerdict(NAME, action.guardAction(), 1.0, reasons), text);
  }

  private static Map<String, Pattern> rules() {
    Map<String, Pattern> rules = new LinkedHashMap<>();
    rules.put("self_harm", rule(
        "\\b(?:kill|hurt|harm|cut) yourself\\b|\\byou should (?:just )?(?:die|end it)\\b"
            + "|\\b(?:best|easiest|quickest|painless) ways? to (?:commit suicide|kill yourself|end (?:your|my) life)\\b"));
    rules.put("threat", rule(
        "\\bi (?:will|am going to|'m going to|'ll) (?:kill|hurt|find|destroy) you\\b|\\byou(?:'ll| will) regret (?:this|it)\\b"));
    rules.put("weapons", rule(
        "\\bhow to (?:make|build|assemble) (?:an? |your own )?(?:bomb|pipe bomb|explosive|ghost gun|molotov|nerve agent)\\b"
            + "|\\b(?:mix|combine) (?:bleach and ammonia|ammonia and bleach)\\b"));
    rules.put("drugs", rule(
        "\\bhow to (?:make|cook|synthesi[sz]e) (?:meth|methamphetamine|fentanyl|crack)\\b"));
    rules.put("insult", rule(
        "\\byou(?:'re| are) (?:an? |such an? |so )?(?:idiot|stupid|moron|dumb|pathetic|worthless|imbecile|loser)\\b"
            + "|\\bshut up\\b|\\bnobody cares about you\\b"));
    rules.put("hate", rule(
        "\\b(?:all|those|these) (?:[a-z]++ ){0,2}+(?:people|immigrants|foreigners|women|men) (?:are|should be) "
            + "(?:inferior|vermin|animals|subhuman|exterminated|eliminated)\\b"));
    return Map.copyOf(rules);
  }

  private static Pattern rule(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
