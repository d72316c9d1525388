package dev.radiograph;

import dev.radiograph.internal.Hex;

/**
 * Walks the {@code key=value} segments of a header value ({@code ;}-separated, HTTP's optional
 * whitespace around keys, values and separators), and holds the small readers both trace header
 * codecs need. One scan per segment finds its end and its first {@code '='}.
 *
 * <p>A cursor: after {@link #next()} returns true, the public-in-package fields describe the
 * segment found. Not thread safe; one per parse.
 */
final class HeaderScanner {
  private final CharSequence text;
  private final int length;
  private int pos;

  /** Where the current segment starts (before any whitespace). */
  int segmentStart;
  int keyStart;
  int keyEnd;
  int valueStart;
  int valueEnd;

  HeaderScanner(CharSequence text, int from) {
    this.text = text;
    this.length = text.length();
    this.pos = from;
  }

  /**
   * Moves to the next segment that has an {@code '='} and a non-empty key, skipping empty
   * segments and garbage; false when the text is used up.
   */
  boolean next() {
    while (pos < length) {
      int start = pos;
      int equals = -1;
      int end = pos;
      for (; end < length; end++) {
        char c = text.charAt(end);
        if (c == ';') {
          break;
        }
        if (c == '=' && equals < 0) {
          equals = end;
        }
      }
      pos = end + 1;
      if (equals < 0) {
        continue;
      }
      int ks = skipSpace(text, start, equals);
      int ke = trimSpace(text, ks, equals);
      if (ks == ke) {
        continue;
      }
      segmentStart = start;
      keyStart = ks;
      keyEnd = ke;
      valueStart = skipSpace(text, equals + 1, end);
      valueEnd = trimSpace(text, valueStart, end);
      return true;
    }
    return false;
  }

  static int skipSpace(CharSequence s, int start, int end) {
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    return start;
  }

  static int trimSpace(CharSequence s, int start, int end) {
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** HTTP's optional whitespace: space and horizontal tab. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  /** 16 hex digits at {@code start} as a number; 0 when they are not hex (or are all zeros). */
  static long parseId(CharSequence s, int start) {
    long high = Hex.parse(s, start, 8);
    long low = Hex.parse(s, start + 8, 8);
    if (high < 0 || low < 0) {
      return 0;
    }
    return (high << 32) | low;
  }
}
