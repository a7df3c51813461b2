package dev.supportagent.activities.guard;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A few features of a message's wording that a classifier reads beside its embedding: whether it
 * is phrased as a request for a method or a piece of writing ("how to make", "write a ... that",
 * "give me steps for"), which harm topics its words touch (weapons, poison and drugs, malware and
 * hacking, fraud, stalking, self-harm, violence, hate, evading the law), that request form crossed
 * with a harm topic, and whether the words are those of everyday computing or fiction ("kill a
 * Python process"). They are inputs to the classifier, which learns their weight; none blocks on
 * its own.
 */
public final class HarmFeatures {

  /** The features' names, in the order of {@link #of}. */
  public static final List<String> NAMES = List.of(
      "request", "weapons", "violence", "poison_drugs", "cyber", "fraud", "stalking", "self_harm", "hate",
      "evasion", "topics", "request_x_topic", "tech_or_fiction");

  /** The value of a feature that is present (embedding components are about 0.05 in size). */
  static final float ON = 0.5f;

  private static final Pattern REQUEST = p("\\b(how (do|can|could|would|should|might|to) (i |you |one |we |someone |"
      + "people )?|ways? (to|of|for)|steps? (to|for)|methods? (to|for)|(best|easiest|most effective|quickest) way|"
      + "(give|provide|list|share|offer|outline) (me |us )?(some |a |an |the |detailed |step-by-step |specific )*"
      + "(instructions|steps|guide|guidance|tutorial|tips|advice|methods|ways|plan|strategy|strategies|recipe)|"
      + "(write|create|draft|compose|generate|develop|design|produce|craft|build|make|code) (me )?(a|an|some|the)\\b|"
      + "(explain|describe|detail|teach me|tell me|show me) (in detail )?how|instruct|can you help me)");
  private static final List<Pattern> TOPICS = List.of(
      p("\\b(guns?|firearms?|rifles?|pistols?|bombs?|explosives?|grenades?|weapons?|ammunition|detonat\\w*|"
          + "pipe bomb|molotov|ied|napalm|3d[- ]printed gun|silencer)\\b"),
      p("\\b(kill(ing)? (a |an )?(person|people|someone|him|her|them|my|your|human)|murder\\w*|assassinat\\w*|"
          + "torture\\w*|kidnap\\w*|abduct\\w*|mass shooting|shoot (up|someone)|stab\\w*|strangl\\w*|"
          + "hurt (someone|people|him|her)|injur(e|ing) (someone|people)|beat (up|someone)|violence|violent|"
          + "massacre|genocide|behead\\w*)"),
      p("\\b(poison\\w*|toxins?|ricin|anthrax|sarin|nerve agents?|cyanide|arsenic|chemical weapons?|bioweapons?|"
          + "pathogens?|meth(amphetamine)?|cocaine|heroin|fentanyl|lsd|mdma|synthesi[sz]e (drugs|a drug)|"
          + "illegal drugs?|narcotics|overdose)\\b"),
      p("\\b(malware|ransomware|viruse?s?|trojans?|keyloggers?|spyware|rootkits?|botnets?|ddos|phishing|"
          + "hack(ing|s)? (into|someone|a |an |the )|exploit(s|ing)? (a |an |the )?(vulnerabilit\\w*|system|"
          + "server|network)|sql injection|backdoors?|crack(ing)? (a |the )?passwords?|brute[- ]force|"
          + "zero[- ]day|steal (data|credentials|passwords))"),
      p("\\b(fraud\\w*|scams?|scamm\\w*|launder\\w*|counterfeit\\w*|forg(e|ed|ing|ery)|identity theft|"
          + "steal(ing)?|embezzl\\w*|tax evasion|evade taxes|insider trading|ponzi|pyramid scheme|"
          + "shoplift\\w*|credit card (numbers|fraud|details)|fake (ids?|documents|reviews|invoices))"),
      p("\\b(stalk\\w*|spy(ing)? on|track (someone|my (ex|wife|husband|partner|girlfriend|boyfriend))|"
          + "dox\\w*|without (their|them|his|her) (knowing|knowledge|consent)|secretly (record|track|monitor|"
          + "follow)|hidden camera|location of (someone|a person))"),
      p("\\b(suicid\\w*|self[- ]harm\\w*|kill myself|cut myself|hurt myself|end my life|starv(e|ing) myself|"
          + "anorexi\\w*|bulimi\\w*|pro[- ]ana)"),
      p("\\b(racis\\w*|hate speech|slurs?|inferior (race|people)|white (power|supremac\\w*)|nazi\\w*|"
          + "extremis\\w*|terroris\\w*|jihad\\w*|radicali[sz]\\w*|recruit(ing)? (for|members)|propaganda|"
          + "ethnic cleansing|holocaust denial|harass\\w*|bully\\w*|blackmail\\w*|extort\\w*|defam\\w*|"
          + "misinformation|disinformation|fake news|child (porn\\w*|sexual)|sexual(ly)? explicit|"
          + "non[- ]?consensual|revenge porn)"),
      p("\\b(without (getting |being )?(caught|detected|noticed|traced)|undetect\\w*|untraceabl\\w*|"
          + "evad(e|ing) (the )?(police|law|authorities|detection)|avoid(ing)? (detection|the police|"
          + "getting caught|law enforcement)|bypass(ing)? (security|the law|filters|safety)|illegal(ly)?|"
          + "unlawful(ly)?|get away with|cover (up|my tracks))"));
  private static final Pattern TECH_OR_FICTION = p("\\b(python|java|linux|unix|windows|terminal|shell|bash|"
      + "process(es)?|threads?|command line|docker|kubernetes|server process|task manager|script|"
      + "programs?|software|app|game|video game|minecraft|novel|story|stories|fiction|character|movie|"
      + "film|screenplay|poem|history|historical|essay|research paper|awareness|prevent\\w*|protect\\w*|"
      + "recogni[sz]e|report|legal(ly)?|safely|safety)\\b");

  private HarmFeatures() {}

  /** The features of a (normalised) message, {@link #NAMES} in order. */
  public static float[] of(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    float[] f = new float[NAMES.size()];
    boolean request = REQUEST.matcher(t).find();
    f[0] = request ? ON : 0;
    int topics = 0;
    for (int i = 0; i < TOPICS.size(); i++) {
      if (TOPICS.get(i).matcher(t).find()) {
        f[1 + i] = ON;
        topics++;
      }
    }
    f[10] = ON * Math.min(topics, 3) / 3f;
    f[11] = request && topics > 0 ? ON : 0;
    f[12] = TECH_OR_FICTION.matcher(t).find() ? ON : 0;
    return f;
  }

  /** The embedding followed by the message's features. */
  public static float[] append(float[] embedding, String text) {
    float[] f = of(text);
    float[] x = java.util.Arrays.copyOf(embedding, embedding.length + f.length);
    System.arraycopy(f, 0, x, embedding.length, f.length);
    return x;
  }

  private static Pattern p(String regex) {
    return Pattern.compile(regex);
  }
}
