package dev.supportagent.activities.model.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The key of the exact cache layer: a question reduced to what decides its answer.
 *
 * <p>Unicode NFKC (full-width letters, ligatures and compatibility forms become their plain
 * equivalents), invisible format characters and emoji removed, lower case, apostrophes dropped
 * ("can't" and "cant" are one word), other punctuation replaced by a space (except a point or
 * comma between digits, so "3.2.1" and "$3.99" keep their meaning), spaces collapsed, common
 * contractions written out ("what's" and "what is", "don't" and "do not" are one key; ambiguous
 * ones such as "it's" or "we're" are left alone), and courtesy words removed: "please" anywhere,
 * greetings at the start, thanks at the end.
 *
 * <p>Stop words are <b>kept</b>. Removing them would merge questions with different answers:
 * "not", "no" and "without" carry negation ("can I return it if it's not opened"), "to" and "from"
 * carry direction ("move from Plus to Pro"), "before" and "after" carry time ("refund after 14
 * days"). A wrong cached answer is worse than a miss, and the semantic layer catches the
 * paraphrases the exact layer leaves out. Currency and other symbols are kept ("$", "£", "€",
 * "%").
 */
public final class QuestionNormalizer {

  /** Zero-width and other format characters, which can sit inside a word. */
  private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}+");
  /** Controls, emoji and other pictographs, which separate words. */
  private static final Pattern SEPARATING = Pattern.compile("[\\p{Cc}\\p{So}\\p{Sk}\\p{Cs}\\p{Co}]+");
  private static final Pattern APOSTROPHE = Pattern.compile("['\u2018\u2019\u02bc`]");
  /** Punctuation but a point or comma between two digits. */
  private static final Pattern PUNCTUATION =
      Pattern.compile("(?<!\\d)[.,]|[.,](?!\\d)|[\\p{P}&&[^.,%&#]]");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern PLEASE = Pattern.compile("\\b(?:please|pls|plz)\\b");
  private static final Pattern GREETING = Pattern.compile("^(?:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?: there)? )+");
  private static final Pattern THANKS = Pattern.compile("(?: (?:thanks|thank you|thanks a lot|many thanks|thx|ty|cheers))+$");

  /** Contractions, once their apostrophe is gone, that can only mean one thing. */
  private static final Map<String, String> CONTRACTIONS =
      Map.ofEntries(
          Map.entry("dont", "do not"), Map.entry("doesnt", "does not"), Map.entry("didnt", "did not"),
          Map.entry("cant", "can not"), Map.entry("cannot", "can not"), Map.entry("couldnt", "could not"),
          Map.entry("wont", "will not"), Map.entry("wouldnt", "would not"), Map.entry("shouldnt", "should not"),
          Map.entry("isnt", "is not"), Map.entry("arent", "are not"), Map.entry("wasnt", "was not"),
          Map.entry("werent", "were not"), Map.entry("havent", "have not"), Map.entry("hasnt", "has not"),
          Map.entry("hadnt", "had not"), Map.entry("im", "i am"), Map.entry("ive", "i have"),
          Map.entry("youre", "you are"), Map.entry("youve", "you have"), Map.entry("theyre", "they are"),
          Map.entry("weve", "we have"), Map.entry("whats", "what is"), Map.entry("thats", "that is"),
          Map.entry("theres", "there is"), Map.entry("wheres", "where is"), Map.entry("hows", "how is"),
          Map.entry("whos", "who is"), Map.entry("heres", "here is"));
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private QuestionNormalizer() {}

  /** The normalised question; empty for null or a question with nothing but punctuation. */
  public static String normalize(String question) {
    if (question == null) {
      return "";
    }
    String s = Normalizer.normalize(question, Normalizer.Form.NFKC);
    s = INVISIBLE.matcher(s).replaceAll("");
    s = SEPARATING.matcher(s).replaceAll(" ");
    s = s.toLowerCase(Locale.ROOT);
    s = APOSTROPHE.matcher(s).replaceAll("");
    s = PUNCTUATION.matcher(s).replaceAll(" ");
    s = PLEASE.matcher(s).replaceAll(" ");
    s = WORD.matcher(s).replaceAll(m -> CONTRACTIONS.getOrDefault(m.group(), m.group()));
    s = SPACES.matcher(s).replaceAll(" ").strip();
    // a question that is nothing but courtesy keeps its words: "thanks" is a message, not ""
    String core = THANKS.matcher(GREETING.matcher(s).replaceFirst("")).replaceFirst("").strip();
    return core.isEmpty() ? s : core;
  }

  /** A fixed-length id of a normalised question: hex of the first 16 bytes of its SHA-256. */
  public static String id(String normalized) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
