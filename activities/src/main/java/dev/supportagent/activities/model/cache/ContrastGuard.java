package dev.supportagent.activities.model.cache;

import dev.supportagent.activities.ingest.EnglishStems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second condition of a semantic hit, besides the similarity: two questions must not differ in a
 * detail that sentence embeddings barely register but that changes the answer. all-MiniLM-L6-v2
 * gives "my bulb died after 2 years" and "... after 4 years" a cosine of 0.97, "can I return a light
 * strip if I haven't cut it" and "... if I've cut it" 0.98; only a threshold near 0.99 would keep
 * them apart, and it would lose most rewordings of one question as well.
 *
 * <p>The details are language-level, not product-specific:
 *
 * <ul>
 *   <li><b>numbers</b>: the same numbers, in digits or words ("two" is 2);
 *   <li><b>negation</b>: both negated or neither ("not", "no", "never", "without" ...);
 *   <li><b>places</b>: the same countries and regions, or none (US, UK, EU and their other names,
 *       the EU's members and a few other countries, with their adjectives);
 *   <li><b>currencies</b>, <b>weekdays</b>, <b>months</b> and <b>periods</b> (day, week, month,
 *       year; "annual" is "yearly"): the same, or none;
 *   <li><b>colours</b> and <b>opposites</b> ("on" and "off", "upgrade" and "downgrade", "before"
 *       and "after" ...): not one in one question and another in the other;
 *   <li><b>wording</b>: the same content words, by stem, in the same order; only {@link
 *       #SCAFFOLDING} (articles, "I" and "you", "do" and "can", fillers) may differ.
 * </ul>
 *
 * The first rules name the detail for the record; the last one alone would refuse those pairs too.
 * It is what makes the semantic layer safe on questions that no list of contrasts foresaw: a held-out
 * set showed the earlier rules letting through the same words in another order ("from a yearly plan
 * to monthly" against "from a monthly plan to yearly", cosine 0.996), a changed preposition ("for
 * pairing" against "after pairing") and a changed customer type ("as a business" against "as a
 * student"). The price is recall: a paraphrase that uses another content word ("stop" for
 * "cancel") is a miss, served by the model instead. {@code deploy/local/eval cache} measures both.
 */
public final class ContrastGuard {

  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  /** A number, with a currency sign before or after it or none: "$79.99", "79.99€", "2". */
  private static final Pattern AMOUNT = Pattern.compile("[$£€]?(\\d+(?:[.,]\\d+)*)[$£€]?");

  private static final Map<String, String> NUMBER_WORDS =
      words(
          "zero:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12"
              + " thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19 twenty:20"
              + " thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90 hundred:100 thousand:1000");

  private static final Set<String> NEGATIONS =
      Set.of(
          "not", "no", "never", "without", "nothing", "none", "nobody", "nowhere", "neither", "nor",
          "dont", "doesnt", "didnt", "cant", "cannot", "couldnt", "wont", "wouldnt", "shouldnt", "isnt",
          "arent", "wasnt", "werent", "havent", "hasnt", "hadnt");

  /** Multi-word names, replaced by one token before the rest is looked at. */
  private static final Map<String, String> PHRASES =
      Map.of(
          "united kingdom", "uk", "great britain", "uk", "northern ireland", "uk", "united states", "us",
          "the states", "us", "czech republic", "czechia", "new zealand", "newzealand", "per annum", "year");

  private static final Map<String, String> PLACES =
      words(
          "us:us usa:us america:us american:us uk:uk britain:uk british:uk england:uk english:uk"
              + " scotland:uk scottish:uk wales:uk welsh:uk eu:eu europe:eu european:eu"
              + " austria:at austrian:at belgium:be belgian:be bulgaria:bg croatia:hr cyprus:cy czechia:cz"
              + " czech:cz denmark:dk danish:dk estonia:ee finland:fi finnish:fi france:fr french:fr"
              + " germany:de german:de greece:gr greek:gr hungary:hu ireland:ie irish:ie italy:it italian:it"
              + " latvia:lv lithuania:lt luxembourg:lu malta:mt netherlands:nl holland:nl dutch:nl"
              + " poland:pl polish:pl portugal:pt portuguese:pt romania:ro slovakia:sk slovenia:si spain:es"
              + " spanish:es sweden:se swedish:se switzerland:ch swiss:ch norway:no norwegian:no iceland:is"
              + " canada:ca canadian:ca australia:au australian:au newzealand:nz mexico:mx japan:jp china:cn"
              + " india:in brazil:br");

  private static final Map<String, String> CURRENCIES =
      words("$:usd dollar:usd dollars:usd usd:usd £:gbp pound:gbp pounds:gbp gbp:gbp €:eur euro:eur euros:eur eur:eur");

  private static final Map<String, String> WEEKDAYS =
      words(
          "monday:mon mondays:mon tuesday:tue tuesdays:tue wednesday:wed wednesdays:wed thursday:thu"
              + " thursdays:thu friday:fri fridays:fri saturday:sat saturdays:sat sunday:sun sundays:sun"
              + " weekend:weekend weekends:weekend weekday:weekday weekdays:weekday");

  private static final Map<String, String> MONTHS =
      words(
          "january:1 february:2 march:3 april:4 june:6 july:7 august:8 september:9 october:10"
              + " november:11 december:12");

  private static final Map<String, String> PERIODS =
      words(
          "minute:minute minutes:minute mins:minute hour:hour hours:hour hourly:hour day:day days:day"
              + " daily:day week:week weeks:week weekly:week fortnight:fortnight month:month months:month"
              + " monthly:month year:year years:year yearly:year annual:year annually:year");

  private static final Map<String, String> COLOURS =
      words(
          "red:red green:green blue:blue amber:amber orange:orange purple:purple white:white yellow:yellow"
              + " pink:pink black:black grey:grey gray:grey");

  private static final List<Set<String>> OPPOSITES =
      List.of(
          Set.of("on", "off"), Set.of("upgrade", "downgrade"), Set.of("enable", "disable"),
          Set.of("before", "after"), Set.of("add", "remove"), Set.of("start", "stop"),
          Set.of("open", "closed"), Set.of("first", "last"), Set.of("more", "less"),
          Set.of("minimum", "maximum"), Set.of("import", "export"), Set.of("increase", "decrease"),
          Set.of("buy", "sell"), Set.of("send", "receive"), Set.of("inside", "outside"),
          Set.of("indoor", "outdoor"), Set.of("indoors", "outdoors"), Set.of("lock", "unlock"),
          Set.of("link", "unlink"), Set.of("install", "uninstall"), Set.of("subscribe", "unsubscribe"),
          Set.of("pair", "unpair"), Set.of("connect", "disconnect"), Set.of("above", "below"),
          Set.of("over", "under"), Set.of("in", "out"), Set.of("up", "down"));

  /**
   * Words a question may gain, lose or swap without changing what it asks: articles, first and
   * second person pronouns, the auxiliaries and modals that frame a question ("how <b>do</b> I" and
   * "how <b>can</b> I", "my card <b>got</b> declined" and "... <b>was</b> declined"), the
   * prepositions that only attach a phrase ("a refund <b>on</b> my plan" and "... <b>for</b> my
   * plan"), "to" (its counterpart "from" is not here), request framing ("I'd like to", "do you know
   * if") and fillers. Everything else must match word for word, in order: prepositions of time and
   * direction ("for pairing" is not "after pairing", "from" is not "to"), question words ("how do I
   * get a refund" is not "do I get a refund"), "will", and every noun, verb and adjective.
   */
  private static final Set<String> SCAFFOLDING =
      Set.of(
          "a", "an", "the", "i", "me", "my", "mine", "myself", "you", "your", "yours", "guys", "we", "our",
          "it", "its", "this", "that", "these", "those", "there", "any", "some", "do", "does", "can",
          "could", "would", "may", "might", "is", "are", "am", "be", "been", "was", "were", "have", "has",
          "had", "get", "got", "to", "per", "on", "in", "with", "for", "of", "at", "by", "want", "like", "know",
          "tell", "wonder", "wondering", "just", "so", "ok", "okay", "also", "actually", "really", "very", "still",
          "too", "quick", "question", "help", "hi", "hello", "hey", "thanks", "thank", "lumora");

  private ContrastGuard() {}

  /**
   * The detail in which two normalised questions ({@link QuestionNormalizer}) differ, for example
   * {@code number} or {@code place}; empty when they differ in none, and a semantic hit may be served.
   */
  public static Optional<String> contrast(String a, String b) {
    List<String> x = tokens(a);
    List<String> y = tokens(b);
    if (!numbers(a, x).equals(numbers(b, y))) {
      return Optional.of("number");
    }
    if (negated(x) != negated(y)) {
      return Optional.of("negation");
    }
    if (!members(x, PLACES).equals(members(y, PLACES))) {
      return Optional.of("place");
    }
    if (!members(x, CURRENCIES).equals(members(y, CURRENCIES))) {
      return Optional.of("currency");
    }
    if (!members(x, WEEKDAYS).equals(members(y, WEEKDAYS))) {
      return Optional.of("weekday");
    }
    if (!members(x, MONTHS).equals(members(y, MONTHS))) {
      return Optional.of("month");
    }
    if (!members(x, PERIODS).equals(members(y, PERIODS))) {
      return Optional.of("period");
    }
    if (substituted(members(x, COLOURS), members(y, COLOURS))) {
      return Optional.of("colour");
    }
    Set<String> xs = new HashSet<>(x);
    Set<String> ys = new HashSet<>(y);
    for (Set<String> pair : OPPOSITES) {
      Set<String> inX = new HashSet<>(pair);
      inX.retainAll(xs);
      Set<String> inY = new HashSet<>(pair);
      inY.retainAll(ys);
      if (substituted(inX, inY)) {
        return Optional.of("opposite");
      }
    }
    if (!sameWording(x, y)) {
      return Optional.of("wording");
    }
    return Optional.empty();
  }

  /**
   * Whether two questions ask about the same things in the same order: their {@link #contentWords}
   * are equal, or equal once the spaces between them are gone ("5ghz wifi" and "5 ghz wi fi"), or
   * differ in one word only by a slip of one letter ("diffrence", "meters" for "metres") in a word
   * of six letters or more.
   */
  static boolean sameWording(List<String> x, List<String> y) {
    List<String> a = contentWords(x);
    List<String> b = contentWords(y);
    if (a.equals(b) || String.join("", a).equals(String.join("", b))) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    List<String> rawA = contentTokens(x);
    List<String> rawB = contentTokens(y);
    int slips = 0;
    for (int i = 0; i < a.size(); i++) {
      String u = rawA.get(i);
      String v = rawB.get(i);
      if (!a.get(i).equals(b.get(i))) {
        if (++slips > 1 || Math.min(u.length(), v.length()) < 6 || !oneSlipApart(u, v)) {
          return false;
        }
      }
    }
    return true;
  }

  /** One letter inserted, removed, replaced, or two neighbours swapped. */
  static boolean oneSlipApart(String u, String v) {
    if (Math.abs(u.length() - v.length()) > 1) {
      return false;
    }
    int start = 0;
    while (start < u.length() && start < v.length() && u.charAt(start) == v.charAt(start)) {
      start++;
    }
    int eu = u.length();
    int ev = v.length();
    while (eu > start && ev > start && u.charAt(eu - 1) == v.charAt(ev - 1)) {
      eu--;
      ev--;
    }
    int du = eu - start;
    int dv = ev - start;
    if (du <= 1 && dv <= 1) {
      return true;
    }
    return du == 2 && dv == 2 && u.charAt(start) == v.charAt(start + 1) && u.charAt(start + 1) == v.charAt(start);
  }

  /**
   * The words that may carry the answer, in order: every word but {@link #SCAFFOLDING}, each reduced
   * to its stem ("cancelling" is "cancel"), so that two questions match only when they ask about the
   * same things in the same order.
   */
  static List<String> contentWords(List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String t : contentTokens(tokens)) {
      List<String> stem = EnglishStems.terms(t);
      out.add(stem.size() == 1 ? stem.get(0) : t);
    }
    return out;
  }

  /**
   * The tokens but {@link #SCAFFOLDING}, with the details the other rules compare written one way
   * ("two" is "2", "never" is "not", "annually" is "year") and currencies left out (compared as a
   * set above, "$79.99" and "79.99 dollars" name them in another order).
   */
  private static List<String> contentTokens(List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String t : tokens) {
      if (SCAFFOLDING.contains(t) || CURRENCIES.containsKey(t)) {
        continue;
      }
      Matcher number = AMOUNT.matcher(t);
      if (number.matches()) {
        out.add(number.group(1).replace(",", ""));
      } else if (NEGATIONS.contains(t)) {
        out.add("not");
      } else {
        out.add(NUMBER_WORDS.getOrDefault(t, PERIODS.getOrDefault(t, t)));
      }
    }
    return out;
  }

  private static List<String> tokens(String normalized) {
    String s = " " + normalized + " ";
    for (Map.Entry<String, String> p : PHRASES.entrySet()) {
      s = s.replace(" " + p.getKey() + " ", " " + p.getValue() + " ");
    }
    List<String> tokens = new ArrayList<>();
    for (String t : s.strip().split(" ")) {
      if (t.isEmpty()) {
        continue;
      }
      // "$79.99" and "79.99$" name a currency and a number
      if (t.length() > 1 && CURRENCIES.containsKey(t.substring(0, 1))) {
        tokens.add(t.substring(0, 1));
      }
      if (t.length() > 1 && CURRENCIES.containsKey(t.substring(t.length() - 1))) {
        tokens.add(t.substring(t.length() - 1));
      }
      tokens.add(t);
    }
    return tokens;
  }

  private static List<String> numbers(String normalized, List<String> tokens) {
    List<String> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(normalized);
    while (m.find()) {
      out.add(m.group().replace(",", ""));
    }
    for (String t : tokens) {
      String n = NUMBER_WORDS.get(t);
      if (n != null) {
        out.add(n);
      }
    }
    out.sort(null);
    return out;
  }

  private static boolean negated(List<String> tokens) {
    int n = 0;
    for (String t : tokens) {
      if (NEGATIONS.contains(t)) {
        n++;
      }
    }
    return n % 2 == 1;
  }

  private static Set<String> members(List<String> tokens, Map<String, String> kind) {
    Set<String> out = new TreeSet<>();
    for (String t : tokens) {
      String m = kind.get(t);
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** One member in one question and another in the other; a member on one side only is fine. */
  private static boolean substituted(Set<String> x, Set<String> y) {
    return !x.isEmpty() && !y.isEmpty() && !x.equals(y);
  }

  private static Map<String, String> words(String pairs) {
    Map<String, String> map = new HashMap<>();
    for (String pair : pairs.split(" ")) {
      int colon = pair.lastIndexOf(':');
      map.put(pair.substring(0, colon), pair.substring(colon + 1));
    }
    return Map.copyOf(map);
  }
}
