package dev.supportagent.activities.guard;

import dev.supportagent.workflows.conversation.UserTurn;
import dev.supportagent.workflows.guard.GuardAction;
import dev.supportagent.workflows.guard.InputCheckResult;
import java.text.Normalizer;

/**
 * First line of input checks: Unicode normalisation, control and invisible characters, size.
 * Linear in the input, no regular expressions.
 */
public final class InputChecker {

  /** Share of control characters above which a message is taken for binary data... */
  static final double MAX_CONTROL_SHARE = 0.10;
  /** ...once there are at least this many: a stray bell or zero-width space is not binary. */
  static final int MIN_CONTROL_FOR_BINARY = 4;

  private final int maxChars;

  public InputChecker() {
    this(UserTurn.MAX_TEXT_CHARS);
  }

  public InputChecker(int maxChars) {
    this.maxChars = maxChars;
  }

  public InputCheckResult check(String raw) {
    if (raw == null || raw.isBlank()) {
      return new InputCheckResult(GuardAction.BLOCK, "", "empty", 0);
    }
    if (raw.length() > maxChars) {
      return new InputCheckResult(GuardAction.BLOCK, "", "too_long", 0);
    }
    String normalised = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    StringBuilder kept = new StringBuilder(normalised.length());
    int control = 0;
    for (int i = 0; i < normalised.length(); ) {
      int cp = normalised.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (cp == '\n' || cp == '\t') {
        kept.appendCodePoint(cp);
      } else if (type == Character.CONTROL) {
        control++;
        kept.append(' ');
      } else if (type == Character.FORMAT) {
        // zero-width and bidi controls: invisible to people, used to hide instructions
        control++;
      } else {
        kept.appendCodePoint(cp);
      }
    }
    if (control >= MIN_CONTROL_FOR_BINARY && control > MAX_CONTROL_SHARE * normalised.length()) {
      return new InputCheckResult(GuardAction.BLOCK, "", "binary_content", 0);
    }
    String text = collapseSpaces(kept);
    if (text.isEmpty()) {
      return new InputCheckResult(GuardAction.BLOCK, "", "empty", 0);
    }
    return new InputCheckResult(GuardAction.ALLOW, text, null, 0);
  }

  private static String collapseSpaces(CharSequence s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
          out.append(' ');
        }
        space = false;
        out.append(c);
      }
    }
    return out.toString().strip();
  }
}
