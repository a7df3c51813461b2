package dev.supportagent.activities.pii;

/**
 * A detected value: {@code text.substring(start, end)} is of {@code type}. Holds offsets only, not
 * the value, so it can be logged or counted.
 */
public record PiiSpan(int start, int end, PiiType type) {

  public PiiSpan {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
