package dev.radiograph.internal;

/**
 * Lower-case hexadecimal encoding and strict decoding of the fixed-width numbers that X-Ray ids
 * are made of. Internal: not part of Radiograph's API.
 */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Writes the low {@code digits * 4} bits of {@code value} as {@code digits} hex characters. */
  public static void write(long value, int digits, char[] out, int offset) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      out[i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** Writes {@code value} as {@code digits} hex characters into an ASCII byte buffer. */
  public static void write(long value, int digits, byte[] out, int offset) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      out[i] = (byte) DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /**
   * Whether {@code digits} characters of {@code s} from {@code offset} are exactly what
   * {@link #write} writes for {@code value} (lower case), without writing them.
   */
  public static boolean isWrittenAt(long value, int digits, CharSequence s, int offset) {
    if (offset < 0 || offset + digits > s.length()) {
      return false;
    }
    for (int i = offset + digits - 1; i >= offset; i--) {
      if (s.charAt(i) != DIGITS[(int) (value & 0xF)]) {
        return false;
      }
      value >>>= 4;
    }
    return true;
  }

  /** The 16-digit form of a 64-bit id. */
  public static String id(long value) {
    char[] chars = new char[16];
    write(value, 16, chars, 0);
    return new String(chars);
  }

  /**
   * Decodes {@code length} hex digits (either case) starting at {@code start}, or returns -1 when
   * any of them is not a hex digit. Only for up to 15 digits, so that -1 is never a valid result.
   */
  public static long parse(CharSequence s, int start, int length) {
    long value = 0;
    for (int i = start; i < start + length; i++) {
      int digit = digit(s.charAt(i));
      if (digit < 0) {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return value;
  }

  // The value of each lower-case hex digit, -1 for every other character below 128.
  private static final byte[] LOWER_DIGITS = new byte[128];

  static {
    java.util.Arrays.fill(LOWER_DIGITS, (byte) -1);
    for (int i = 0; i < 16; i++) {
      LOWER_DIGITS[DIGITS[i]] = (byte) i;
    }
  }

  /**
   * Decodes {@code length} lower-case hex digits (the form {@link #write} writes) from
   * {@code start}, or returns -1 when any is not one. Up to 15 digits. For the fast path of text
   * that is expected to be canonical; {@link #parse} reads either case.
   */
  public static long parseLowerCase(CharSequence s, int start, int length) {
    long value = 0;
    for (int i = start; i < start + length; i++) {
      char c = s.charAt(i);
      int digit = c < 128 ? LOWER_DIGITS[c] : -1;
      if (digit < 0) {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return value;
  }

  /** Decodes exactly 16 hex digits into a 64-bit value; {@code valid[0]} tells if they were. */
  public static long parse16(CharSequence s, int start, boolean[] valid) {
    long high = parse(s, start, 8);
    long low = parse(s, start + 8, 8);
    valid[0] = high >= 0 && low >= 0;
    return (high << 32) | low;
  }

  /** The value of one hex digit, or -1. */
  public static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether {@code length} characters from {@code start} are all hex digits. */
  public static boolean isHex(CharSequence s, int start, int length) {
    if (start < 0 || start + length > s.length()) {
      return false;
    }
    for (int i = start; i < start + length; i++) {
      if (digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
