package dev.supportagent.activities.pii;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, street addresses and places, a best effort without a language model: capitalised names
 * after cues ("my name is", "Mr.", "Name:", "called") or alone on a line as in a signature; street
 * addresses as a house number and street words ("12 Baker Street", "Rue de Tanger 29",
 * "Harjukuja 54", "PSC 5217, Box 4854"), with an apartment or suite after them; countries by name,
 * and other places after cues ("I live in", "moved here from", "based in").
 */
final class NameAndPlaceRecognizer implements Recognizer {

  /** A capitalised name word (Unicode letters, with an apostrophe or hyphen inside) or an initial. */
  private static final String NAME_WORD = "(?:\\p{Lu}[\\p{Ll}\\p{M}]++(?:['’-]\\p{Lu}?[\\p{Ll}\\p{M}]++)?+|\\p{Lu}\\.?+)";

  private static final String NAME = NAME_WORD + "(?:[ ]" + NAME_WORD + "){0,3}+";

  static final Pattern PERSON_AFTER_CUE =
      Pattern.compile(
          "(?i:\\b(?:my name is|my name's|name is|last name is|surname is|i am|i'm|this is|called|named|name:|user:|regards,|thanks,|cheers,|"
              + "sincerely,|contact person:|attn:?|mr\\.?|mrs\\.?|ms\\.?|miss|dr\\.?|prof\\.?)\\s{1,3}+)(" + NAME + ")");

  /** "written by Jonas Nielsen": two capitalised words at least after "by". */
  static final Pattern PERSON_AFTER_BY =
      Pattern.compile("\\b(?:by|By):?[ ]{1,4}+(" + NAME_WORD + "(?:[ ]" + NAME_WORD + "){1,3}+)");

  /** All lower case, the way some customers type: only after "my name is". */
  static final Pattern PERSON_LOWER_CASE =
      Pattern.compile("\\bmy name is ((?:\\p{Ll}{2,20}+)(?: \\p{Ll}{2,20}+)?+)\\b");

  /** A line holding only a name of two to four words, as in a signature or an address block. */
  static final Pattern PERSON_LINE =
      Pattern.compile("(?m)^(?:[>]\\s?+)?(" + NAME_WORD + "(?:[ ]" + NAME_WORD + "){1,3}+)[ ]*$");

  private static final String STREET_WORDS =
      "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Square|Sq|Terrace|Parkway"
          + "|Pkwy|Highway|Hwy|Crescent|Close|Row|Alley|Plaza|Circle|Trail|Gardens|Hill|Walk|Mews|Heights|Park)";

  private static final String UNIT =
      "(?:,?[ ]?+(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Flat|Floor)[ ]?+#?+\\d{1,5}+[A-Za-z]?+)";

  /** "12 Baker Street", "1600 Pennsylvania Avenue NW, Suite 4". */
  static final Pattern STREET_ADDRESS =
      Pattern.compile(
          "(?<![\\w.])\\d{1,6}+[A-Za-z]?+(?:[ ]\\d{1,5}+)?+[ ](?:" + NAME_WORD + "[ ]){1,4}?" + STREET_WORDS
              + "\\b\\.?+(?:[ ](?:N|S|E|W|NE|NW|SE|SW)\\b)?+" + UNIT + "{0,2}+");

  /** Continental forms, the number after the street: "Rue de Tanger 29", "Harjukuja 54", "ul. Narewska 94". */
  static final Pattern STREET_NUMBER_AFTER =
      Pattern.compile(
          "(?<![\\w.])(?:(?:Rue|Avenue|Via|Viale|Vicolo|Piazza|Piazzetta|Calle|Avenida|Avda\\.|Rua|Travessa|Largo|ul\\.|Ulica"
              + "|Plac|Platz|Allee|Strada|Carrer|Paseo|Plaza|Camino|Boulevard)(?:[ ](?:\\p{Lu}|de|del|da|do|dos|la|le|di|des|du)"
              + "[\\p{L}'’.-]*+){1,4}+"
              + "|\\p{Lu}[\\p{Ll}\\p{M}]*+(?:straße|strasse|gasse|weg|vej|vegen|veien|gatan|gata|gade|tie|katu|kuja|polku"
              + "|laan|straat|plein|steeg|gracht|dreef|tér|utca|út|ulica|cesta)(?:[ ]\\p{Lu}[\\p{Ll}]*+)?+)"
              + "[ ]\\d{1,5}+[A-Za-z]?+\\b\\.?+" + UNIT + "{0,2}+");

  /** US military addresses: "PSC 5217, Box 4854", "Unit 7349 Box 6067", with "APO AP 43617" after. */
  static final Pattern MILITARY_ADDRESS =
      Pattern.compile("(?<![\\w])(?:PSC|Unit|USNS|USS|USNV|USCGC)[ ]\\d{4}+,?[ ]Box[ ]\\d{4}+(?:\\s{1,3}+[AFD]PO[ ]A[AEP][ ]\\d{5}+)?+");

  /**
   * One more part of an address block after a street, on the same line after a comma or on the
   * next line: a unit ("Suite 680"), a town ("Kissousa", "LONDON"), a region code (", CO"), a
   * country with its postcode ("Cyprus 36903"). Words capitalised or in capitals, digits, and the
   * small words of place names.
   */
  static final Pattern ADDRESS_PART =
      Pattern.compile(
          "\\G(?:,[ ]?+|[ ]*+\\n[ >]*+|,?[ ]*+\\n[ >]*+,?[ ]?+)"
              + "((?:(?:Apt\\.?|Apartment|Suite|Unit|Box|Floor)[ ]\\d{1,5}+"
              + "|(?:[\\p{Lu}\\d][\\p{L}\\p{M}\\d'’.()-]*+)(?:[ ](?:[\\p{Lu}\\d(][\\p{L}\\p{M}\\d'’.()-]*+"
              + "|de|del|da|do|u|v|am|an|upon|on|sur|la|le))*+))");

  /** Words that start a sentence rather than a line of an address. */
  private static final Set<String> SENTENCE_STARTS =
      Set.of("I", "The", "A", "An", "We", "You", "He", "She", "They", "It", "This", "That", "Please", "Thanks",
          "Thank", "My", "Your", "Our", "Hi", "Hello", "Dear", "If", "When", "Can", "Could", "Would", "Is", "Are");

  static final int MAX_ADDRESS_PARTS = 5;
  static final int MAX_ADDRESS_PART_CHARS = 40;

  static final Pattern PLACE_AFTER_CUE =
      Pattern.compile(
          "(?i:\\b(?:live in|lives in|living in|lived in|moved here from|moved to|moving to|based in|born in|grew up in|"
              + "originally from|travelling to|traveling to|i'm in|i am in|located in|fly to|flew to|flying to|relocated to)"
              + "\\s{1,3}+)((?:\\p{Lu}[\\p{L}\\p{M}'’-]*+)(?:[ ](?:\\p{Lu}[\\p{L}\\p{M}'’-]*+|de|del|da|do|u|upon|on|am)){0,3}+)");

  /** Country names, matched whole and capitalised (also in capitals). */
  static final Set<String> COUNTRIES =
      Set.of(
          "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia", "Austria",
          "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan",
          "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei", "Bulgaria", "Burkina Faso", "Burundi",
          "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China", "Colombia", "Congo", "Costa Rica", "Croatia", "Cuba",
          "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti", "Dominican Republic", "Ecuador", "Egypt",
          "El Salvador", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia",
          "Georgia", "Germany", "Ghana", "Greece", "Greenland", "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras",
          "Hong Kong", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Jamaica",
          "Japan", "Jordan", "Kazakhstan", "Kenya", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon",
          "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar", "Malawi", "Malaysia",
          "Maldives", "Mali", "Malta", "Mauritania", "Mauritius", "Mexico", "Moldova", "Monaco", "Mongolia", "Montenegro",
          "Morocco", "Mozambique", "Myanmar", "Namibia", "Nepal", "Netherlands", "New Zealand", "Nicaragua", "Niger",
          "Nigeria", "North Korea", "North Macedonia", "Norway", "Oman", "Pakistan", "Panama", "Papua New Guinea",
          "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Saudi Arabia",
          "Senegal", "Serbia", "Seychelles", "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Somalia",
          "South Africa", "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden",
          "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Togo", "Trinidad and Tobago",
          "Tunisia", "Turkey", "Turkmenistan", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom",
          "United States", "Uruguay", "Uzbekistan", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe");

  /** A run of one to four capitalised words: candidates for the country list. */
  static final Pattern CAPITALISED_RUN =
      Pattern.compile("(?<![\\p{L}])\\p{Lu}[\\p{L}]*+(?:[ ](?:and|\\p{Lu}[\\p{L}]*+)){0,3}+(?![\\p{L}])");

  private static final Set<String> COUNTRY_KEYS =
      COUNTRIES.stream().map(c -> c.toUpperCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** Words that start a capitalised run but are no name. */
  private static final Set<String> NOT_NAMES =
      Set.of(
          "I", "The", "A", "An", "This", "That", "It", "We", "You", "He", "She", "They", "My", "Your", "Our", "Hi",
          "Hello", "Dear", "Thanks", "Thank", "Please", "Yes", "No", "Not", "So", "Sorry", "Sure", "Here", "There",
          "Just", "Also", "Still", "Now", "Then", "Good", "Great", "Happy", "Glad", "Fine", "Okay", "Ok", "Going",
          "Looking", "Trying", "Having", "Personal", "Info", "Address", "Phone", "Mobile", "Email", "E-mail", "Website",
          "Name", "Fax", "Desk", "Office", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Madam", "Suite", "Apt", "Street", "Customer", "Support", "Team", "Service", "Account",
          "Order", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
          "March", "April", "May", "June", "July", "August", "September", "October", "November", "December");

  @Override
  public void find(String text, List<PiiSpan> out) {
    findGroup(PERSON_AFTER_CUE, text, PiiType.PERSON, out);
    if (text.equals(text.toLowerCase(Locale.ROOT))) {
      findGroup(PERSON_LOWER_CASE, text, PiiType.PERSON, out);
    }
    findGroup(PERSON_LINE, text, PiiType.PERSON, out);
    findGroup(PERSON_AFTER_BY, text, PiiType.PERSON, out);
    findAddresses(STREET_ADDRESS, text, out);
    findAddresses(STREET_NUMBER_AFTER, text, out);
    findAddresses(MILITARY_ADDRESS, text, out);
    findGroup(PLACE_AFTER_CUE, text, PiiType.LOCATION, out);
    findCountries(text, out);
  }

  private static void findGroup(Pattern pattern, String text, PiiType type, List<PiiSpan> out) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int start = m.start(1);
      int end = m.end(1);
      String value = m.group(1);
      // drop leading words that are no name ("This is Support Team" is nobody)
      String first = value.split(" ", 2)[0];
      if (NOT_NAMES.contains(first) || (type == PiiType.PERSON && value.endsWith(".") && value.length() <= 2)) {
        continue;
      }
      while (end > start && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ' ')
          && !(end - start >= 2 && Character.isUpperCase(text.charAt(end - 2)) && isWordStart(text, end - 2))) {
        end--;
      }
      if (end > start) {
        out.add(new PiiSpan(start, end, type));
      }
    }
  }

  private static boolean isWordStart(String text, int i) {
    return i == 0 || !Character.isLetter(text.charAt(i - 1));
  }

  /** A street match, with the building number before it and the block's further parts after it. */
  private static void findAddresses(Pattern pattern, String text, List<PiiSpan> out) {
    Matcher m = pattern.matcher(text);
    Matcher part = ADDRESS_PART.matcher(text);
    while (m.find()) {
      int start = m.start();
      // "3482 Via Franscini 71": the building number before a street named first
      int i = start - 1;
      if (i > 0 && text.charAt(i) == ' ' && Character.isDigit(text.charAt(i - 1))) {
        int j = i - 1;
        while (j > 0 && j > i - 7 && Character.isDigit(text.charAt(j - 1))) {
          j--;
        }
        if (j == 0 || !Character.isLetterOrDigit(text.charAt(j - 1))) {
          start = j;
        }
      }
      int end = m.end();
      for (int parts = 0; parts < MAX_ADDRESS_PARTS && end < text.length(); parts++) {
        part.region(end, text.length());
        if (!part.lookingAt() || part.group(1).length() > MAX_ADDRESS_PART_CHARS
            || SENTENCE_STARTS.contains(part.group(1).split(" ", 2)[0])) {
          break;
        }
        end = part.end(1);
      }
      while (end > start && text.charAt(end - 1) == '.') {
        end--;
      }
      out.add(new PiiSpan(start, end, PiiType.ADDRESS));
    }
  }

  private static void findWhole(Pattern pattern, String text, PiiType type, List<PiiSpan> out) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int end = m.end();
      if (end > m.start() + 1 && text.charAt(end - 1) == '.' && type != PiiType.ADDRESS) {
        end--;
      }
      out.add(new PiiSpan(m.start(), end, type));
    }
  }

  /** The longest country name at the start of each capitalised run, then after it. */
  private static void findCountries(String text, List<PiiSpan> out) {
    Matcher m = CAPITALISED_RUN.matcher(text);
    while (m.find()) {
      String[] words = m.group().split(" ");
      int offset = m.start();
      for (int i = 0; i < words.length; ) {
        int taken = 0;
        for (int n = Math.min(4, words.length - i); n >= 1 && taken == 0; n--) {
          String candidate = String.join(" ", java.util.Arrays.asList(words).subList(i, i + n));
          boolean cased = candidate.equals(candidate.toUpperCase(Locale.ROOT)) || Character.isUpperCase(candidate.charAt(0));
          if (cased && COUNTRY_KEYS.contains(candidate.toUpperCase(Locale.ROOT))) {
            out.add(new PiiSpan(offset, offset + candidate.length(), PiiType.LOCATION));
            taken = n;
          }
        }
        int step = Math.max(1, taken);
        for (int k = 0; k < step; k++) {
          offset += words[i + k].length() + 1;
        }
        i += step;
      }
    }
  }

}
