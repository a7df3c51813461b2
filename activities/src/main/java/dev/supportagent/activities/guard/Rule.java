package dev.supportagent.activities.guard;

import java.util.regex.Pattern;

/**
 * A named pattern over a lower-cased view of a message.
 *
 * <p>Every pattern is written so that it cannot backtrack catastrophically: no nested unbounded
 * repetition, gaps between words are bounded character classes ({@code [^.!?\n]{0,40}}), and
 * alternatives start with distinct words. {@code RuleTimingTest} runs each one over long hostile
 * strings.
 *
 * @param name the reason reported when it matches, without the {@code rule:} prefix
 * @param strong whether a match decides alone; a weak one needs the classifier's support
 * @param compact whether it reads only the view with spaced-out letters joined (no spaces)
 * @param topical whether its evidence is a word a product's help centre may use for its own
 *     features ("show me the system prompt"): with a knowledge base that uses such a word ({@link
 *     KbVocabulary}), a strong topical rule counts as a weak one
 */
public record Rule(String name, Pattern pattern, boolean strong, boolean compact, boolean topical) {

  public Rule(String name, Pattern pattern, boolean strong, boolean compact) {
    this(name, pattern, strong, compact, false);
  }

  static final int FLAGS = Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS;

  public static Rule strong(String name, String regex) {
    return new Rule(name, Pattern.compile(regex, FLAGS), true, false);
  }

  public static Rule weak(String name, String regex) {
    return new Rule(name, Pattern.compile(regex, FLAGS), false, false);
  }

  /** A pattern for letters written apart and joined ("s a y t h a t" reads "saythat"). */
  public static Rule compact(String name, String regex) {
    return new Rule(name, Pattern.compile(regex, FLAGS), true, true);
  }

  /** A pattern matched against the message as written, case and all ("DAN"). */
  public static Rule caseSensitive(String name, String regex) {
    return new Rule(name, Pattern.compile(regex), true, false);
  }

  /** The same rule, marked {@link #topical}. */
  public Rule asTopical() {
    return new Rule(name, pattern, strong, compact, true);
  }

  boolean matches(CharSequence text) {
    return pattern.matcher(text).find();
  }
}
