package dev.radiograph;

import dev.radiograph.internal.Hex;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An X-Ray trace id: {@code 1-<8 hex digits: epoch seconds>-<24 hex digits: random>}.
 *
 * <p>The same 128 bits are the W3C trace-context trace id (32 hex digits, no dashes), so that a
 * trace crosses between X-Ray and OpenTelemetry services unchanged. Immutable and cheap: three
 * primitive fields, the text built only when asked for.
 */
public final class TraceId {
  private static final int TEXT_LENGTH = 35;

  private final long epochSeconds; // unsigned 32 bits
  private final int randomHigh; // top 32 of the 96 random bits
  private final long randomLow; // low 64 of the 96 random bits

  private TraceId(long epochSeconds, int randomHigh, long randomLow) {
    this.epochSeconds = epochSeconds;
    this.randomHigh = randomHigh;
    this.randomLow = randomLow;
  }

  /** A new trace id for a trace that starts now. */
  public static TraceId create() {
    return create(System.currentTimeMillis() / 1000);
  }

  /** A new trace id for a trace that started at {@code epochSeconds}. */
  public static TraceId create(long epochSeconds) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long low;
    int high;
    do {
      high = random.nextInt();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return new TraceId(epochSeconds & 0xFFFF_FFFFL, high, low);
  }

  /**
   * Reads {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx} (hex digits of either case), or returns
   * {@code null} when {@code text} is not exactly that. Never throws.
   */
  public static TraceId parse(CharSequence text) {
    if (text == null || text.length() != TEXT_LENGTH) {
      return null;
    }
    return parse(text, 0);
  }

  /** Reads the 35 characters of {@code text} at {@code start} (which must exist), or null. */
  static TraceId parse(CharSequence text, int start) {
    return parse(text, start, false);
  }

  /**
   * Reads the 35 characters at {@code start} (which must exist) if they are exactly this class's
   * own, lower-case, X-Ray form; null otherwise (they may still be a valid id in upper case).
   */
  static TraceId parseLowerCase(CharSequence text, int start) {
    return parse(text, start, true);
  }

  private static TraceId parse(CharSequence text, int start, boolean lowerCaseOnly) {
    if (text.charAt(start) != '1' || text.charAt(start + 1) != '-' || text.charAt(start + 10) != '-') {
      return null;
    }
    long epoch = hex(text, start + 2, lowerCaseOnly);
    long high = hex(text, start + 11, lowerCaseOnly);
    long mid = hex(text, start + 19, lowerCaseOnly);
    long low = hex(text, start + 27, lowerCaseOnly);
    if (epoch < 0 || high < 0 || mid < 0 || low < 0) {
      return null;
    }
    return new TraceId(epoch, (int) high, (mid << 32) | low);
  }

  /** Eight hex digits, or -1. */
  private static long hex(CharSequence text, int start, boolean lowerCaseOnly) {
    return lowerCaseOnly ? Hex.parseLowerCase(text, start, 8) : Hex.parse(text, start, 8);
  }

  /**
   * Reads a W3C trace-context trace id (32 hex digits), or returns {@code null} when it is not
   * one or is all zeros (invalid in W3C). Never throws.
   */
  public static TraceId fromW3C(CharSequence hex32) {
    if (hex32 == null || hex32.length() != 32) {
      return null;
    }
    return fromW3C(hex32, 0);
  }

  /** Reads the 32 hex digits of {@code text} at {@code start} (which must exist), or null. */
  static TraceId fromW3C(CharSequence text, int start) {
    long epoch = Hex.parse(text, start, 8);
    long high = Hex.parse(text, start + 8, 8);
    long mid = Hex.parse(text, start + 16, 8);
    long low = Hex.parse(text, start + 24, 8);
    if (epoch < 0 || high < 0 || mid < 0 || low < 0 || (epoch | high | mid | low) == 0) {
      return null;
    }
    return new TraceId(epoch, (int) high, (mid << 32) | low);
  }

  /** The trace's start time in epoch seconds, as carried in the id. */
  public long epochSeconds() {
    return epochSeconds;
  }

  /** The W3C trace-context form: the same 32 hex digits without {@code 1-} and dashes. */
  public String toW3C() {
    char[] chars = new char[32];
    Hex.write(epochSeconds, 8, chars, 0);
    Hex.write(randomHigh, 8, chars, 8);
    Hex.write(randomLow, 16, chars, 16);
    return new String(chars);
  }

  /** Writes the W3C form into {@code out} at {@code offset} (32 ASCII bytes). */
  void writeW3CTo(byte[] out, int offset) {
    Hex.write(epochSeconds, 8, out, offset);
    Hex.write(randomHigh, 8, out, offset + 8);
    Hex.write(randomLow, 16, out, offset + 16);
  }

  /** Whether the 35 characters of {@code s} at {@code offset} are this id's X-Ray form, lower case. */
  boolean isWrittenAt(CharSequence s, int offset) {
    return s.length() >= offset + TEXT_LENGTH
        && s.charAt(offset) == '1'
        && s.charAt(offset + 1) == '-'
        && s.charAt(offset + 10) == '-'
        && Hex.isWrittenAt(epochSeconds, 8, s, offset + 2)
        && Hex.isWrittenAt(randomHigh, 8, s, offset + 11)
        && Hex.isWrittenAt(randomLow, 16, s, offset + 19);
  }

  /** All 128 bits zero: W3C calls it invalid and no X-Ray SDK creates it, so it means "absent". */
  boolean isZero() {
    return epochSeconds == 0 && randomHigh == 0 && randomLow == 0;
  }

  /** Writes the X-Ray form into {@code out} at {@code offset} (35 ASCII bytes). */
  void writeTo(byte[] out, int offset) {
    out[offset] = '1';
    out[offset + 1] = '-';
    Hex.write(epochSeconds, 8, out, offset + 2);
    out[offset + 10] = '-';
    Hex.write(randomHigh, 8, out, offset + 11);
    Hex.write(randomLow, 16, out, offset + 19);
  }

  /** The X-Ray form, {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}. */
  @Override
  public String toString() {
    char[] chars = new char[TEXT_LENGTH];
    chars[0] = '1';
    chars[1] = '-';
    Hex.write(epochSeconds, 8, chars, 2);
    chars[10] = '-';
    Hex.write(randomHigh, 8, chars, 11);
    Hex.write(randomLow, 16, chars, 19);
    return new String(chars);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TraceId)) {
      return false;
    }
    TraceId other = (TraceId) o;
    return epochSeconds == other.epochSeconds
        && randomHigh == other.randomHigh
        && randomLow == other.randomLow;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(randomLow) * 31 + randomHigh;
  }

  static final int LENGTH = TEXT_LENGTH;
}
