package dev.supportagent.activities.model.cache;

import dev.supportagent.workflows.answer.GeneratedAnswer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which questions and replies the answer cache may hold.
 *
 * <p>A cached reply is served to other customers, so it must depend on nothing but the question,
 * the knowledge base and the prompt, and the question must hold nothing personal (it is kept in
 * Redis for a day and its normalised text may be logged). When in doubt the answer is no: a
 * question left out of the cache only costs a model call.
 */
public final class CachePolicy {

  /** Longer messages tend to tell a story of their own, which a shared reply would not fit. */
  public static final int MAX_QUESTION_CHARS = 300;

  // Every pattern below is a second line of defence behind the input guard's PII scanner
  // (piiFound). They are deliberately broad: each false alarm only costs a cache miss.
  // Quantifiers are bounded or possessive: no catastrophic backtracking on hostile input.
  private static final List<Pattern> PERSONAL =
      List.of(
          // e-mail addresses and handles
          Pattern.compile("@"),
          // links can carry tokens and ids
          Pattern.compile("(?i)\\b(?:https?://|www\\.)"),
          // five digits or more, maybe separated: phone, card, order, invoice, IBAN, ZIP, dates
          Pattern.compile("\\d(?:[\\s.\\-/()+]{0,3}+\\d){4,}+"),
          // the help centre's reference numbers: order LS-, invoice LUM-, warranty WC-, complaint CMP-
          Pattern.compile("(?i)\\b(?:LS|LUM|WC|CMP)\\s?[-#]?\\s?\\d"),
          // identifiers mixing letters and digits (serial numbers, VAT ids, codes): 6+ characters
          // with at least 3 digits
          Pattern.compile("(?i)\\b(?=\\d{0,40}+[a-z])(?=(?:[a-z]{0,40}+\\d){3})[a-z0-9]{6,}+\\b"),
          // long unbroken tokens: keys, tokens, hashes, codes
          Pattern.compile("[^\\s]{25,}+"),
          // UK postcodes
          Pattern.compile("(?i)\\b[a-z]{1,2}\\d[a-z\\d]?\\s?\\d[a-z]{2}\\b"),
          // street addresses
          Pattern.compile(
              "(?i)\\b\\d{1,5}+[a-z]?\\s+(?:[a-z]{2,20}\\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr"
                  + "|way|close|court|ct|place|pl|boulevard|blvd|square|sq|terrace|crescent|straat|strasse|stra\u00dfe)\\b"),
          // the customer saying who they are or giving a secret
          Pattern.compile(
              "(?i)\\b(?:my\\s+(?:full\\s+)?(?:name|e-?mail(?:\\s+address)?|phone(?:\\s+number)?|mobile(?:\\s+number)?"
                  + "|number|address|postcode|post\\s+code|zip(?:\\s+code)?|iban|account\\s+(?:number|id)"
                  + "|card\\s+number|order\\s+(?:number|id)|invoice\\s+number|username|user\\s+name"
                  + "|password|passcode|pin|code|date\\s+of\\s+birth|birthday|dob|serial(?:\\s+number)?)"
                  + "(?:\\s+is|\\s+was|['\u2019]s|\\s*[:=])"
                  + "|i\\s+am\\s+called|i'm\\s+called|call\\s+me\\s+(?:at|on)|contact\\s+me\\s+(?:at|on)"
                  + "|text\\s+me\\s+(?:at|on)|i\\s+live\\s+at|pass(?:word|code)\\s*[:=])"),
          // a title before a capitalised name ("Mrs Jones"; not "did I miss the window")
          Pattern.compile("\\b(?i:mr|mrs|ms|miss|mx|dr)\\.?\\s+\\p{Lu}"));

  private CachePolicy() {}

  /**
   * Whether a turn's question may be looked up in and stored to the cache.
   *
   * @param question the question as the input check passed it
   * @param hasEarlierTurns whether the reply would depend on anything beyond the question and the
   *     knowledge base: earlier messages of the conversation, imported {@code history}, the
   *     customer's memory or profile. Pass true whenever the prompt holds any of these.
   * @param piiFound whether the input guard's PII scanner found personal data in the question
   */
  public static boolean eligible(String question, boolean hasEarlierTurns, boolean piiFound) {
    if (question == null || hasEarlierTurns || piiFound) {
      return false;
    }
    String trimmed = question.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_QUESTION_CHARS) {
      return false;
    }
    return !QuestionNormalizer.normalize(trimmed).isEmpty() && !mayHoldPersonalData(trimmed);
  }

  /**
   * Whether a reply may be stored: it answered (did not decline), has text and cites at least one
   * document. The caller must also never store a reply that was blocked or escalated; those are
   * decided outside the answerer, so they are the caller's to check.
   */
  public static boolean storable(GeneratedAnswer answer) {
    return answer != null
        && !answer.declined()
        && answer.text() != null
        && !answer.text().isBlank()
        && !answer.citations().isEmpty();
  }

  /** Whether {@code text} looks as if it holds personal data; errs on the side of yes. */
  static boolean mayHoldPersonalData(String text) {
    for (Pattern p : PERSONAL) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }
}
