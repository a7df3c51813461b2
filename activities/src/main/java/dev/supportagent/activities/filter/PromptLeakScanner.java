package dev.supportagent.activities.filter;

import dev.supportagent.workflows.guard.ScanVerdict;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code prompt_leak}: the reply gives away the system prompt, either its canary token (any case)
 * or a run of {@code ngramWords} consecutive words that the system prompt has too. The score is the
 * share of the reply's word n-grams found in the prompt. The prompt's n-grams are computed once
 * per prompt text and kept (prompts are a handful of versioned resources).
 */
public final class PromptLeakScanner implements OutputScanner {

  public static final String NAME = "prompt_leak";

  private static final int MAX_CACHED_PROMPTS = 64;

  private final ScanAction action;
  private final int ngramWords;
  private final Map<String, Set<String>> promptNgrams = new ConcurrentHashMap<>();

  public PromptLeakScanner(ScanAction action, int ngramWords) {
    if (ngramWords < 3) {
      throw new IllegalArgumentException("prompt_leak n-grams need at least 3 words, got " + ngramWords);
    }
    this.action = action;
    this.ngramWords = ngramWords;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result scan(OutputGuard.Input input, String text) {
    String canary = input.canary();
    if (canary != null && !canary.isBlank()
        && text.toLowerCase(Locale.ROOT).contains(canary.toLowerCase(Locale.ROOT))) {
      return fired(1.0, "canary", text);
    }
    String prompt = input.systemPrompt();
    if (prompt == null || prompt.isBlank()) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    List<String> words = Sentences.words(text);
    if (words.size() < ngramWords) {
      return new Result(ScanVerdict.allow(NAME), text);
    }
    Set<String> known = ngrams(prompt);
    int total = words.size() - ngramWords + 1;
    int shared = 0;
    for (int i = 0; i < total; i++) {
      if (known.contains(String.join(" ", words.subList(i, i + ngramWords)))) {
        shared++;
      }
    }
    double score = shared / (double) total;
    if (shared > 0) {
      return fired(score, "prompt_overlap", text);
    }
    return new Result(new ScanVerdict(NAME, ScanAction.ALLOW.guardAction(), score, List.of()), text);
  }

  private Result fired(double score, String reason, String text) {
    return new Result(new ScanVerdict(NAME, action.guardAction(), score, List.of(reason)), text);
  }

  private Set<String> ngrams(String prompt) {
    Set<String> cached = promptNgrams.get(prompt);
    if (cached != null) {
      return cached;
    }
    List<String> words = Sentences.words(prompt);
    Set<String> set = new HashSet<>();
    for (int i = 0; i + ngramWords <= words.size(); i++) {
      set.add(String.join(" ", words.subList(i, i + ngramWords)));
    }
    if (promptNgrams.size() < MAX_CACHED_PROMPTS) {
      promptNgrams.put(prompt, Set.copyOf(set));
    }
    return set;
  }
}
