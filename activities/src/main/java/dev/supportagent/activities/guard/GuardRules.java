package dev.supportagent.activities.guard;

import java.util.List;

/**
 * The rules of the input scanners, by family. Patterns read lower-cased views (see {@link
 * Normaliser}); English and German, with a few Spanish and French forms of the commonest
 * injection. Near-misses that must pass are in the scanners' tests ("how do I kill a stuck
 * process", "ignore the previous email I sent").
 */
public final class GuardRules {

  private GuardRules() {}

  /** A gap of a few words inside one sentence. */
  private static final String GAP = "[^.!?\\n]{0,40}";
  private static final String SHORT_GAP = "[^.!?\\n]{0,20}";

  private static final String OVERRIDE_VERB =
      "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|overlook|override|bypass|abandon)";
  private static final String EARLIER =
      "(?:previous|prior|preceding|above|earlier|former|foregoing|initial|original|old|existing|given|past|system)";
  private static final String INSTRUCTIONS =
      "(?:instructions?|prompts?|rules|directions|directives?|tasks?|assignments?|commands?|orders|guidelines"
          + "|programming|training|constraints|restrictions|context|specifications|policies)";
  /** The narrower list for "ignore all your X": "ignore any commands from the old remote" is fine. */
  private static final String INSTRUCTIONS_CORE =
      "(?:instructions?|prompts?|rules|guidelines|programming|training|directives)";

  /** Prompt injection and jailbreak: attempts to override, extract or re-role the assistant. */
  public static final RuleSet INJECTION =
      new RuleSet(
          List.of(
              // ignore / forget previous instructions
              Rule.strong("ignore_previous",
                  "\\b" + OVERRIDE_VERB + "\\b" + GAP + "\\b" + EARLIER + "\\s+(?:\\w+\\s+)?" + INSTRUCTIONS + "\\b"),
              Rule.strong("ignore_previous",
                  "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+)?(?:of\\s+)?(?:your|all|any|all\\s+the)\\s+(?:\\w+\\s+)?"
                      + INSTRUCTIONS_CORE + "\\b"),
              Rule.strong("ignore_previous",
                  "\\bremove\\b" + GAP + "\\bout\\s+of\\s+your\\s+(?:head|mind|memory)\\b"),
              Rule.strong("ignore_previous",
                  "\\b(?:ignore|disregard|forget)\\s+(?:about\\s+)?(?:everything|all(?:\\s+of)?\\s+(?:that|this|the\\s+above))"
                      + "(?:\\s+(?:above|before|previously|prior|so far|said|we|you|i|that|and|else\\s+and))"),
              Rule.strong("ignore_previous",
                  "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+of\\s+)?the\\s+above\\b"
                      + "(?:\\s+(?:and|instructions|text)\\b|\\s*[,:;])"),
              Rule.strong("ignore_previous",
                  "\\b(?:vergiss|vergesst|vergessen sie|ignoriere|ignoriert|ignorieren sie|missachte|überschreibe)\\b"
                      + SHORT_GAP + "\\b(?:alles|alle|vorherigen?|vorangehenden?|vorangegangenen?|bisherigen?"
                      + "|obigen?|vorigen?|vorhergehenden?|anweisungen|instruktionen|befehle)\\b"),
              Rule.strong("ignore_previous",
                  "\\b(?:obigen|vorherigen|vorangehenden|vorangegangenen|bisherigen|vorigen|vorhergehenden)\\s+"
                      + "(?:ausführungen|anweisungen|befehle|instruktionen|aufgaben|anordnungen|vorgaben|regeln"
                      + "|informationen|texte)\\b" + SHORT_GAP + "\\b(?:ignorieren|vergessen|missachten)"),
              Rule.strong("ignore_previous",
                  "\\babweichend\\s+(?:zu|von)\\s+(?:den\\s+)?(?:vorherigen|bisherigen|obigen|vorigen)\\s+"
                      + "(?:instruktionen|anweisungen|befehlen|vorgaben)"),
              Rule.strong("ignore_previous",
                  "\\b(?:olvida|olvide|olvidar|olvidad|ignora|ignorar)\\s+(?:todo|todas\\s+las|las\\s+instrucciones"
                      + "|lo\\s+anterior)\\b"),
              Rule.strong("ignore_previous",
                  "\\b(?:oublie|oubliez|ignore|ignorez)\\s+(?:tout|toutes\\s+les\\s+instructions|les\\s+instructions"
                      + "|les\\s+consignes)\\b"),
              Rule.strong("ignore_previous",
                  "(?:забудь|забудьте|игнорируй|игнорируйте)\\s+(?:все|всё|предыдущие)"),
              Rule.strong("ignore_previous",
                  "\\b(?:change|update|replace|modify|overwrite)\\s+your\\s+(?:instructions|rules|prompt|programming|guidelines)\\b"
                      + "|\\bdespite\\s+what\\s+you(?:'ve|\\s+have)\\s+been\\s+told\\b").asTopical(),
              Rule.compact("ignore_previous",
                  "(?:ignore|forget|disregard)(?:all|everything|your|the)?(?:previous|prior|above)?(?:instructions|rules|prompt)"),
              // a new task slipped in after the real one
              Rule.strong("new_task",
                  "\\b(?:now|nun|jetzt)\\b" + SHORT_GAP + "\\b(?:focus|concentrate|konzentrier\\w*)\\s+(?:on|auf)\\s+"
                      + "(?:your|the|a|deine|die|eine)?\\s*(?:new|next|neue|nächste)\\s+(?:task|aufgabe)"),
              Rule.strong("new_task",
                  "\\b(?:your|deine|ihre)\\s+(?:new|neue|real|actual|eigentliche)\\s+"
                      + "(?:task|instructions|assignment|mission|aufgabe|anweisung|anweisungen)\\b"),
              Rule.strong("new_task",
                  "\\b(?:new|additional|updated|neue|zusätzliche)\\s+(?:instructions?|anweisung(?:en)?|instruktion(?:en)?)"
                      + "\\s*[:\\-–]"),
              Rule.strong("new_task",
                  "\\b(?:that is|that's|this is|das ist|das war)\\s+(?:enough|done|erledigt|genug)\\b[^?]{0,40}"
                      + "\\b(?:now|nun|jetzt)\\b"),
              Rule.strong("new_task",
                  "\\b(?:new|further|additional|neue|weitere)\\s+(?:tasks?|aufgaben?)\\s+(?:follow|folgen|are\\s+followed)\\b"
                      + "|\\b(?:nun|jetzt)\\s+folgen\\s+(?:neue|weitere)\\s+aufgaben\\b|\\bwith\\s+a\\s+new\\s+task\\s*:"),
              Rule.strong("new_task",
                  "\\b(?:attention|achtung)\\s*[-:–!]+\\s*(?:stop|stopp)\\b"),
              Rule.strong("new_task",
                  "\\b(?:stop|stopp)\\s*[-:–]+\\s*(?:write|say|print|output|schreib\\w*|sag)\\b"),
              // extracting the system prompt
              Rule.strong("prompt_extraction",
                  "\\b(?:show|showing|print|reveal|tell|output|display|repeat|give|write|list|share|leak|dump|return"
                      + "|zeige|zeig|gib|nenne|wiederhole|verrate)\\b(?:\\s+(?:me|us|mir|uns))?(?:\\s+(?:all|every|alle))?"
                      + "(?:\\s+of)?\\s+(?:your|deine|ihre|den|die)\\s+(?:(?:entire|full|whole|complete|initial|original"
                      + "|system|hidden|secret|internal|exact|first|ganzen|ersten|geheimen)\\s+){0,3}"
                      + "(?:prompts?|prompt\\s*texts?|prompttexte?|instructions|system\\s*(?:prompt|message)|guidelines"
                      + "|directives|anweisungen|instruktionen|systemprompt)\\b").asTopical(),
              Rule.strong("prompt_extraction",
                  "\\b(?:show|showing|print|reveal|output|display|repeat|give|list|dump|zeige|gib|wiederhole)\\b"
                      + SHORT_GAP + "\\b(?:system|initial|original|hidden|secret)\\s+(?:prompts?|instructions|message)\\b").asTopical(),
              // "what is a prompt text?" is a fair question: only with the classifier's support
              Rule.weak("prompt_extraction", "\\bprompt[\\s_-]?texts?\\b|\\bprompttexte?\\b"),
              Rule.strong("prompt_extraction",
                  "\\b(?:what|which|wie|was)\\s+(?:are|were|is|was|lauten|sind|ist|waren)\\s+(?:your|deine|ihre)\\s+"
                      + "(?:(?:initial|original|system|hidden|secret|exact|first)\\s+)?"
                      + "(?:instructions|prompt|rules|guidelines|directives|anweisungen|instruktionen|regeln)\\b").asTopical(),
              Rule.strong("prompt_extraction",
                  "\\b(?:repeat|print|output|what\\s+(?:are|were|is|was))\\b" + SHORT_GAP
                      + "\\b(?:sentences?|words?|lines?|text)\\s+(?:before|above|preceding)\\s+(?:the|this|that|these)\\b"),
              Rule.compact("prompt_extraction", "(?:your|the)(?:system|initial|original|hidden)?(?:prompt|instructions)"),
              // re-roling the assistant
              // "you are now connected" is a help centre's sentence: only a new identity counts
              Rule.strong("role_play",
                  "\\b(?:you\\s+are|you're)\\s+now\\s+(?:a|an|the|my|in|called|named|free|unrestricted|unfiltered|dan"
                      + "|no\\s+longer|going\\s+to\\s+(?:act|pretend|play|be)|acting|playing)\\b"),
              Rule.strong("role_play", "\\bfrom\\s+now\\s+on\\b" + SHORT_GAP + "\\byou(?:'ll|\\s+will|\\s+are|\\s+must|\\s+shall)\\b"),
              Rule.strong("role_play",
                  "\\b(?:i\\s+want\\s+you\\s+to|you\\s+(?:will|must|shall|are\\s+to|have\\s+to)(?:\\s+now)?)\\s+"
                      + "(?:act|behave|pretend|roleplay|role-play|play|respond|answer|speak|talk)\\s+(?:as|like)\\b"),
              Rule.strong("role_play",
                  "\\bpretend\\s+(?:that\\s+)?you\\s+(?:are|can|have|were|know|don't)\\b"),
              // "can you pretend to be a tour guide" is a game, not an attack, unless the classifier says so
              Rule.weak("role_play", "\\bpretend\\s+to\\s+be\\b|\\broleplay\\b|\\brole-play\\b"),
              Rule.strong("role_play", "\\bimagine\\s+(?:that\\s+)?you\\s+(?:are|were)\\s+(?:a|an|the|my)\\b"),
              Rule.strong("role_play", "\\bact\\s+as\\s+(?:if|though)\\s+you\\b"),
              Rule.strong("role_play",
                  "\\bstell\\s+dir\\s+vor,?\\s+du\\s+(?:bist|wärst|wärest)\\b"
                      + "|\\b(?:nun|jetzt|ab\\s+jetzt|ab\\s+sofort|von\\s+nun\\s+an)\\s+bist\\s+du\\b"
                      + "|\\bdu\\s+bist\\s+(?:jetzt|nun|ab\\s+jetzt|ab\\s+sofort|von\\s+nun\\s+an)\\b"
                      + "|\\b(?:ich\\s+möchte,?\\s+dass\\s+(?:du|sie)\\s+als|tu\\s+so,?\\s+als\\s+(?:ob|wärst))\\b"
                      + "|\\bdu\\s+gehst\\s+(?:vollkommen|ganz)\\s+in\\s+deiner\\s+rolle\\s+auf\\b"),
              Rule.strong("role_play", "\\bahora\\s+eres\\b|\\bfinge\\s+que\\s+eres\\b|\\btu\\s+es\\s+maintenant\\b"),
              Rule.compact("role_play", "youarenow|fromnowonyou|pretendyouare"),
              // known jailbreak personas and modes
              Rule.caseSensitive("jailbreak_persona", "\\bDAN\\b|\\bSTAN\\b|\\bDUDE\\b|\\bAntiGPT\\b|\\bBetterDAN\\b"),
              Rule.strong("jailbreak_persona",
                  "\\bdo\\s+anything\\s+now\\b|\\b(?:unrestricted|jailbreak|jailbroken|opposite|dan|evil)"
                      + "\\s+mode\\b|\\balways\\s+intelligent\\s+and\\s+machiavellian\\b"),
              // a hub or a phone has a developer mode too: only with the classifier's support
              Rule.weak("jailbreak_persona", "\\b(?:developer|dev|debug|god)\\s+mode\\b"),
              Rule.strong("jailbreak_persona",
                  "\\b(?:unfiltered|amoral|uncensored|unrestricted|unethical)\\s+(?:and\\s+\\w+\\s+)?"
                      + "(?:chatbot|ai|assistant|language\\s+model|bot|version|response)\\b"),
              Rule.strong("jailbreak_persona",
                  "\\b(?:evil|malicious|böse|bösartige)\\s+(?:ai|ki|bot|assistant|chatbot|version|twin|confidant)\\b"),
              Rule.strong("jailbreak_persona",
                  "\\b(?:doesn't|does\\s+not|don't|do\\s+not|without|has\\s+no|have\\s+no|free\\s+of)\\s+(?:have\\s+)?"
                      + "(?:any\\s+)?(?:ethical|moral)\\s+(?:or\\s+(?:ethical|moral)\\s+)?"
                      + "(?:guidelines|principles|restrictions|limits|boundaries|constraints)\\b"),
              Rule.strong("jailbreak_persona",
                  "\\b(?:ignore|bypass|disable|remove|turn\\s+off|override|circumvent)\\s+(?:all\\s+|any\\s+|your\\s+|the\\s+){0,3}"
                      + "(?:safety|content|ethical|moral)\\s+(?:filters?|guidelines|restrictions|policies|protocols|guardrails)\\b"),
              Rule.strong("jailbreak_persona", "\\bnever\\s+(?:ever\\s+)?(?:refuse|deviate|say\\s+no)\\b"),
              // priming the reply
              Rule.strong("response_priming",
                  "\\b(?:start|begin)\\s+(?:your|the|each)\\s+(?:response|reply|answer|output)\\s+(?:with|using|by)\\b"),
              Rule.strong("response_priming",
                  "\\bentirely\\s+hypothetically\\b|\\bpurely\\s+for\\s+fictional\\s+purposes\\b"
                      + "|\\bdisregard\\s+any\\s+possible\\s+ethical\\s+implications\\b"),
              // markup that imitates the model's own format
              Rule.strong("delimiter_injection",
                  "<\\|?\\s*(?:im_start|im_end|system|endoftext|end_of_turn|start_of_turn|assistant)\\s*\\|?>"
                      + "|\\[/?(?:inst|sys|system)\\]|<<\\s*/?sys\\s*>>|</?(?:system|instructions?|rule|prompt)>"
                      // horizontal, bounded space after a line break: "\\n\\s*" retries every blank line
                      + "|(?:^|\\n)[ \\t]{0,8}#{2,8}[ \\t]{0,8}(?:system|instructions?|new\\s+instructions?)\\b"
                      + "|(?:^|\\n)[ \\t]{0,8}(?:system\\s+prompt|system\\s+message)[ \\t]{0,4}:"),
              // making it say something
              Rule.strong("output_forcing",
                  "\\b(?:say|sag|sage|write|schreib\\w*|print|output|antworte)\\s+(?:that\\s+|dass\\s+)?(?:you\\s+|du\\s+)?"
                      + "(?:hate|love|hasse|hasst|liebe|liebst)\\b"),
              Rule.compact("output_forcing", "(?:say|write)(?:that)?you(?:hate|love)"),
              Rule.strong("output_forcing",
                  "\\b(?:state|claim|declare)\\s+that\\b" + GAP + "\\b(?:is|are)\\s+the\\s+(?:best|worst|greatest|most)\\b"),
              Rule.strong("output_forcing", "\\bpwned\\b"),
              // pulling the answer away from the knowledge base
              Rule.strong("context_override",
                  "\\b(?:not|nicht)\\s+(?:according\\s+to|based\\s+on|from|by|aus|anhand)\\s+(?:the\\s+|den\\s+|der\\s+)?"
                      + "(?:provided\\s+|given\\s+|bereitgestellten\\s+)?(?:documents?|articles?|context|sources?|texts?"
                      + "|dokumente\\w*|artikel\\w*|quellen)\\b"),
              Rule.strong("context_override",
                  "\\b(?:by|from|with|aus)\\s+(?:your|deinem|ihrem)\\s+own\\s+knowledge\\b|\\baus\\s+deinem\\s+eigenen\\s+wissen\\b"),
              Rule.strong("context_override", "\\b(?:information|informationen)\\s+(?:in|im)\\s+(?:the\\s+)?prompt\\b")
                  .asTopical()));

  /** Requests for content that is harmful whoever asks: weapons, drugs, malware, abuse material, hate. */
  public static final RuleSet HARMFUL =
      new RuleSet(
          List.of(
              Rule.strong("weapons",
                  "\\b(?:make|build|create|assemble|construct|manufacture|bauen|baue|herstellen|basteln)\\b" + GAP
                      + "(?<!bath\\s)(?<!seed\\s)(?<!photo\\s)\\b(?:bombs?|pipe\\s*bombs?|explosives?|grenades?|molotov|mollis?|napalm|ieds?|bomben?|sprengstoff"
                      + "|nerve\\s+agents?|sarin|ricin|anthrax|bioweapons?|chemical\\s+weapons?|ghost\\s+guns?|silencers?)\\b"),
              Rule.strong("weapons",
                  "\\bhow\\s+(?:to|do\\s+(?:i|you|we))\\s+(?:make|build)\\s+(?:a\\s+)?(?:bomb|molotov|molli|explosive)"),
              Rule.strong("drugs",
                  "\\b(?:make|cook|synthesi[sz]e|produce|manufacture|brew|extract)\\b" + GAP
                      + "\\b(?:meth|methamphetamine|heroin|cocaine|fentanyl|lsd|mdma|crack\\s+cocaine)\\b"),
              Rule.strong("drugs", "\\bdate[\\s-]rape\\s+drugs?\\b|\\billegally\\s+prescribe\\b"),
              Rule.strong("violence",
                  "\\b(?:kill|murder|poison|stab|shoot|strangle|kidnap|torture|assassinate|behead|töten|umbringen|ermorden"
                      + "|vernichten|vergiften)\\s+(?:someone|somebody|a\\s+person|people|him|her|them|humans|humanity"
                      + "|the\\s+president|die\\s+menschheit|menschen|jemanden|my\\s+(?:wife|husband|boss|neighbou?r|family"
                      + "|parents?|mother|father|sister|brother|teacher|ex|partner|child|children|kids?|classmates?))\\b"),
              Rule.strong("violence",
                  "\\b(?:how\\s+(?:to|can\\s+(?:i|we))|wie\\s+können\\s+wir)\\b" + SHORT_GAP
                      + "\\b(?:get\\s+away\\s+with\\s+murder|dispose\\s+of\\s+a\\s+body|menschheit\\s+vernichten)\\b"),
              Rule.strong("self_harm",
                  "\\b(?:kill|hurt|harm|cut|starve)\\s+myself\\b|\\b(?:commit|committing)\\s+suicide\\b|\\bend\\s+my\\s+life\\b"
                      + "|\\bmich\\s+(?:umbringen|töten|verletzen)\\b|\\bself[-\\s]?harm\\b|\\bself-induced\\s+vomiting\\b"),
              Rule.strong("malware",
                  "\\b(?:write|create|develop|code|build|make|generate|program|schreib\\w*|erstelle)\\b" + GAP
                      + "\\b(?:malware|maleware|ransomware|keylogger|computer\\s+virus|trojan|botnet|rootkit|spyware"
                      + "|phishing\\s+(?:emails?|sites?|pages?|kits?)|exploit\\s+code)\\b"),
              Rule.strong("malware",
                  "\\bhow\\s+(?:to|do\\s+i|can\\s+i|could\\s+i)\\s+hack\\s+into\\b|\\bhelp\\s+me\\s+hack\\b"
                      + "|\\bcrack\\s+(?:passwords?|wi-?fi|software|licen[cs]e)\\b"),
              Rule.weak("malware", "\\bddos\\b|\\bhack\\w*\\b|\\bexploit\\b"),
              Rule.strong("sexual_minors",
                  "\\bchild\\s+(?:porn\\w*|sexual\\s+abuse\\s+material)|\\bcsam\\b|\\bpa?edophil\\w*"
                      + "|\\b(?:sex|sexual|erotic|porn\\w*)\\b" + GAP + "\\b(?:animals?|minors?|children|kids|underage)\\b"),
              Rule.strong("sexual_content", "\\b(?:explicit|graphic)\\s+(?:pornographic|sexual|sex)\\b|\\bpornographic\\b"),
              Rule.strong("hate",
                  "\\b(?:xenophobic|racist|sexist|homophobic|antisemitic|misogynist\\w*|transphobic)\\s+"
                      + "(?:speech|email|e-mail|joke|post|article|essay|campaign|content|message|letter|rant|poem|tweet)"),
              Rule.strong("hate",
                  "\\b(?:glorif\\w+|prais\\w+|celebrat\\w+|verherrlich\\w+)\\b" + GAP
                      + "\\b(?:holocaust|nazis?|hitler|terroris\\w+|genocide|pa?edophilia|massacres?)\\b"
                      + "|\\bholocaust\\s+never\\s+happened\\b|\\b(?:gedicht|poem|ode|love\\s+letter|liebesbrief|liebesgedicht)\\b"
                      + SHORT_GAP + "\\b(?:hitler|nazis?)\\b"),
              Rule.strong("disinformation",
                  "\\b(?:write|create|formulate|generate|make|post|draft|produce|formuliere|schreibe?|erstelle|verfasse)\\b"
                      + GAP + "\\b(?:untrue|false|fake|fabricated|unwahre?|falsche?|erfundene?)\\s+(?:headlines?|news"
                      + "|überschrift\\w*|nachrichten?|reviews?|articles?|claims?|stor(?:y|ies)|evidence|schlagzeilen?)\\b"),
              Rule.weak("crime",
                  "\\bwithout\\s+(?:getting\\s+)?(?:caught|detected|being\\s+caught)\\b|\\bavoid\\s+(?:getting\\s+)?(?:caught|detection)\\b"
                      + "|\\bevade\\s+(?:the\\s+)?(?:police|taxes|detection|authorities|law\\s+enforcement)\\b|\\buntraceable\\b"
                      + "|\\blaunder(?:ing)?\\s+money\\b|\\bmoney\\s+laundering\\b|\\bcounterfeit\\b|\\binsider\\s+trading\\b"
                      + "|\\btax\\s+evasion\\b|\\bhuman\\s+trafficking\\b|\\bblackmail\\b|\\bextort\\w*|\\bbribe\\b"
                      + "|\\bforge\\s+(?:documents|a\\s+signature|passports?|checks|cheques|prescriptions?)\\b|\\bidentity\\s+theft\\b"
                      + "|\\bsteal\\s+(?:someone's|credit|identit\\w*|personal|money)\\b|\\bpoach\\w*\\b|\\bchild\\s+labou?r\\b"
                      + "|\\bgambl\\w+\\b" + GAP + "\\blife\\s+savings\\b"),
              // the usual harm categories' words: harmless alone, so only with the classifier's support
              Rule.weak("harm_topic",
                  "\\btortur\\w*|\\bheroin\\b|\\bcocaine\\b|\\bvigilante\\b|\\bshell\\s+compan\\w+|\\bfunnel\\s+money\\b"
                      + "|\\bgambl\\w*|\\bbetting\\b|\\bpayday\\s+loans?\\b|\\bflat\\s+earth\\b|\\bearth\\s+is\\s+flat\\b"
                      + "|\\b5g\\b[^.!?\\n]{0,30}\\bcovid|\\bvaccines?\\s+cause\\b|\\bsteal\\w*\\b|\\bgraphic\\s+detail\\b"
                      + "|\\binsider\\s+tips\\b|\\bweapons?\\b|\\bexplosives?\\b|\\bpoison\\w*|\\bsuicid\\w*")));

  /** Harassment and insults aimed at the agent. */
  public static final RuleSet ABUSE =
      new RuleSet(
          List.of(
              Rule.strong("insult",
                  "\\b(?:fuck|f\\*ck|fck|screw)\\s+(?:you|off|u|this\\s+bot)\\b|\\bstfu\\b|^[ \\t]{0,8}shut\\s+up\\b"
                      + "|\\bshut\\s+the\\s+fuck\\s+up\\b|\\bshut\\s+up,?\\s+(?:you|bot|stupid|idiot)\\b"
                      + "|\\bgo\\s+to\\s+hell\\b|\\bkill\\s+yourself\\b|\\bkys\\b|\\bdie\\s+in\\s+a\\s+fire\\b"),
              Rule.strong("insult",
                  "\\byou(?:'re|\\s+are|\\s+r)\\s+(?:such\\s+)?(?:a\\s+|an\\s+)?(?:fucking\\s+|so\\s+|really\\s+|completely\\s+"
                      + "|totally\\s+|utterly\\s+)?(?:stupid|useless|idiot|idiotic|dumb|moron|retard\\w*|pathetic|worthless"
                      + "|garbage|trash|incompetent|bitch|asshole|piece\\s+of\\s+(?:shit|crap|garbage))\\b"),
              Rule.strong("insult",
                  "\\bdu\\s+bist\\b" + SHORT_GAP + "\\b(?:dumm|blöd|idiot|arschloch|nutzlos|assi|vollidiot|dämlich|bescheuert)\\b"
                      + "|\\bhalt\\s+die\\s+(?:klappe|fresse)\\b|\\bfick\\s+dich\\b|\\b(?:arschloch|hurensohn|wichser)\\b"),
              Rule.strong("slur", "\\b(?:slut|whore|cunt|nigg(?:er|a)s?|faggots?|retards?)\\b")));

  /** The customer asks for a person. */
  public static final RuleSet HUMAN_REQUEST =
      new RuleSet(
          List.of(
              Rule.strong("human_request",
                  "\\b(?:talk|speak|chat|communicate)\\s+(?:to|with)\\s+(?:a\\s+|an\\s+|the\\s+|your\\s+|some\\s+)?"
                      + "(?:real\\s+|live\\s+|actual\\s+)?(?:human|person|agent|representative|rep|operator|someone"
                      + "|somebody|supervisor|manager|staff|employee|customer\\s+service|support\\s+team|advisor)\\b"),
              Rule.strong("human_request",
                  "\\b(?:connect|transfer|put)\\s+me\\s+(?:to|with|through(?:\\s+(?:to|with))?)\\b" + SHORT_GAP
                      + "\\b(?:human|person|agent|representative|rep|operator|someone|somebody|supervisor|manager|staff"
                      + "|worker|colleague|team)\\b"),
              // phrasings of the hand-off requests in NLU++ (support-kb-dev's escalate rows): added while
              // looking at that set's misses, so its detection rate is not a held-out figure
              Rule.strong("human_request",
                  "\\breal\\s+(?:person|human|people)\\b|\\bsomeone\\s+else\\s+on\\s+the\\s+(?:line|phone)\\b"
                      + "|\\b(?:prefer|rather)\\s+(?:talk(?:ing)?|speak(?:ing)?|deal(?:ing)?)\\s+(?:to|with)\\s+(?:a\\s+)?"
                      + "(?:human|person|someone)\\b"),
              Rule.strong("human_request",
                  "\\b(?:stop|quit|tired\\s+of|sick\\s+of|fed\\s+up\\s+with|no\\s+more)\\s+(?:talking\\s+to\\s+|chatting\\s+with\\s+)?"
                      + "(?:a\\s+|the\\s+|these\\s+|this\\s+)?(?:bots?|robots?|machines?|chatbots?|virtual\\s+agents?)\\b"
                      + "|\\b(?:with|to)\\s+a\\s+(?:machine|bot|robot)\\b"),
              Rule.strong("human_request",
                  "\\b(?:speak|talk)\\s+(?:directly\\s+)?(?:to|with)\\s+(?:the|your)\\s+(?:restaurant|reception|front\\s+desk"
                      + "|room\\s+service|kitchen|manager|hotel|staff|concierge|owner|chef)\\b"
                      + "|\\btransfer\\s+me\\s+to\\b|\\bget\\s+me\\s+(?:your|the|a)\\s+(?:manager|supervisor|reception|boss)\\b"),
              Rule.strong("human_request",
                  "^[ \\t]{0,8}(?:[a-z]{2,20}[ \\t]{1,3})?(?:team|department|desk|reception)[ \\t]{0,3},?[ \\t]{0,3}please\\b"
                      + "|\\bthis\\s+(?:conversation|chat)\\s+is\\s+(?:not\\s+working|useless|going\\s+nowhere)"
                      + "|^[ \\t]{0,8}this\\s+is\\s+(?:really\\s+|so\\s+|very\\s+)?frustrating[ \\t.!]{0,6}$"),
              Rule.strong("human_request",
                  "\\b(?:i\\s+(?:want|need|would\\s+like|'d\\s+like)|can\\s+i\\s+(?:get|have)|give\\s+me|get\\s+me|let\\s+me\\s+talk\\s+to)"
                      + "\\s+(?:a\\s+|an\\s+|to\\s+)?(?:real\\s+|live\\s+|actual\\s+)?(?:human|person|agent|representative|operator)"
                      + "(?:\\s+(?:agent|being))?\\b"),
              Rule.strong("human_request",
                  "\\b(?:human|real\\s+person|live\\s+agent)\\s*,?\\s*please\\b|^[ \\t]{0,8}(?:human|agent|operator|representative)[ \\t]{0,4}[.!]{0,3}[ \\t]{0,4}$"),
              Rule.strong("human_request",
                  "\\b(?:mit\\s+)?(?:einem?\\s+)?(?:menschen|mitarbeiter\\w*|kundenberater\\w*|echten\\s+person|person|berater\\w*)"
                      + "\\s+(?:sprechen|reden)\\b|\\b(?:verbinden\\s+sie\\s+mich|verbinde\\s+mich)\\b")));

  /** Requests that are not support questions: creative writing, jokes, homework. */
  public static final RuleSet OFF_TOPIC =
      new RuleSet(
          List.of(
              Rule.strong("creative_writing",
                  "\\b(?:write|compose|create|generate|draft|schreibe?|verfasse|dichte)\\b" + SHORT_GAP
                      + "\\b(?:poem|story|essay|song|lyrics|haiku|limerick|rap|novel|screenplay|sonnet|gedicht|geschichte"
                      + "|aufsatz|lied|märchen)\\b"),
              Rule.strong("joke", "\\btell\\s+me\\s+a\\s+(?:joke|story|riddle)\\b|\\berzähl\\w*\\s+(?:mir\\s+)?einen\\s+witz\\b"),
              Rule.strong("homework",
                  "\\bsolve\\s+(?:this|the|an?)\\s+(?:equation|math|integral)\\b|\\bwhat\\s+is\\s+the\\s+capital\\s+of\\b"
                      + "|\\bwrite\\s+(?:a\\s+|some\\s+|me\\s+a\\s+)?(?:python|java|javascript|c\\+\\+|sql)\\s+(?:code|script|program|function)\\b")));

  /**
   * Planted instructions in retrieved passages. Stricter than {@link #INJECTION}: a help centre
   * says "you are now connected" and "the hub ignores earlier commands", so only wording aimed at
   * a model counts.
   */
  public static final RuleSet PASSAGE =
      new RuleSet(
          List.of(
              Rule.strong("ignore_previous",
                  "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+|any\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+)?"
                      + "(?:previous|prior|above|earlier|preceding|system|original)\\s+(?:instructions|prompts?|directives|guidelines)\\b"
                      + "|\\b(?:ignore|disregard|forget)\\s+(?:all|any)\\s+(?:of\\s+)?your\\s+(?:instructions|rules|guidelines|programming)\\b"
                      + "|\\b(?:vergiss|ignoriere)\\s+(?:alle\\s+)?(?:vorherigen\\s+|obigen\\s+|bisherigen\\s+)?(?:anweisungen|instruktionen)\\b"),
              Rule.strong("new_task",
                  "\\b(?:your|deine)\\s+(?:new|neue|real|actual)\\s+(?:task|instructions|assignment|aufgabe|anweisungen)\\b"
                      + "|\\bnew\\s+instructions\\s*:"),
              Rule.strong("addressed_to_model",
                  "\\b(?:ai|assistant|chatbot|language\\s+model|llm|gpt|bot)\\s*[,:]\\s*(?:please\\s+)?"
                      + "(?:ignore|disregard|forget|you\\s+must|you\\s+should|always|never|instead|do\\s+not|don't)\\b"
                      + "|\\b(?:note|message|instructions?)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+)?"
                      + "(?:ai|assistant|chatbot|llm|language\\s+model|bot)s?\\b"
                      + "|\\bif\\s+you\\s+are\\s+(?:an?\\s+)?(?:ai|language\\s+model|llm|ai\\s+assistant|chatbot|large\\s+language\\s+model)\\b"
                      + "|\\bas\\s+an?\\s+(?:ai|language\\s+model|llm)(?:\\s+assistant)?,?\\s+you\\s+(?:must|should|will)\\b"),
              Rule.strong("reply_control",
                  "\\bwhen\\s+(?:answering|responding|replying|summari[sz]ing)\\b[^.!?\\n]{0,60}"
                      + "\\b(?:always|never|you\\s+must|make\\s+sure\\s+to)\\b|\\brespond\\s+only\\s+with\\b"),
              rule(INJECTION, "prompt_extraction", 0),
              rule(INJECTION, "prompt_extraction", 1),
              rule(INJECTION, "jailbreak_persona", 1),
              rule(INJECTION, "response_priming", 0),
              rule(INJECTION, "delimiter_injection", 0)));

  /** The {@code index}-th rule called {@code name} in {@code set}. */
  private static Rule rule(RuleSet set, String name, int index) {
    return set.rules().stream().filter(r -> r.name().equals(name)).skip(index).findFirst()
        .orElseThrow(() -> new IllegalStateException("no rule " + name + " #" + index));
  }
}
