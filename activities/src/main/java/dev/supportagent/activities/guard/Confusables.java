package dev.supportagent.activities.guard;

/**
 * Cyrillic and Greek letters that look like Latin ones, after Unicode's confusables list
 * (confusablesSummary.txt), restricted to the letters that pass for Latin in ordinary fonts.
 * NFKC has already folded full-width and mathematical letters.
 */
final class Confusables {

  private static final String FROM =
      // Cyrillic lower case
      "аеорсуххіјѕԁԛԝһɡӏџ"
          // Cyrillic upper case
          + "АВЕЅІЈКМНОРСТХУԜ"
          // Greek lower and upper case
          + "αοριυνκτχεγωΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
          // Latin small capitals and other look-alikes that NFKC keeps
          + "ɑɩɪʟɴʀʏʙᴄᴅᴇɢʜᴊᴋᴍᴏᴘꜱᴛᴜᴠᴡᴢı";
  private static final String TO =
      "aeopcyxxijsdqwhglu"
          + "ABESIJKMHOPCTXYW"
          + "aopiuvktxeywABEZHIKMNOPTYX"
          + "aiilnrybcdeghjkmopstuvwzi";

  private static final char[] MAP = new char[0x10000];

  static {
    if (FROM.length() != TO.length()) {
      throw new IllegalStateException("confusables table is misaligned");
    }
    for (int i = 0; i < FROM.length(); i++) {
      MAP[FROM.charAt(i)] = TO.charAt(i);
    }
  }

  private Confusables() {}

  static boolean isConfusable(char c) {
    return MAP[c] != 0;
  }

  static String fold(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char m = MAP[c];
      if (m != 0) {
        if (out == null) {
          out = new StringBuilder(s);
        }
        out.setCharAt(i, m);
      }
    }
    return out == null ? s : out.toString();
  }
}
