package dev.radiograph.internal;

import java.util.Arrays;

/**
 * A minimal, allocation-free JSON writer into a reusable UTF-8 byte buffer. The core has no
 * runtime dependencies, and a document is written on the request path, so this writes straight to
 * bytes: no intermediate {@code String}, no reflection.
 *
 * <p>Strings are escaped per RFC 8259: quote, backslash and control characters are escaped, other
 * characters are written as UTF-8, and a lone surrogate (not valid UTF-8) is written as U+FFFD so
 * that every document is valid UTF-8 and valid JSON.
 *
 * <p>Commas are handled by the writer: {@link #name}, {@link #value} and the begin methods put one
 * where needed. Internal: not part of Radiograph's API.
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /**
   * How deeply objects and arrays may nest in one document. A segment deeper than this is sent
   * as several documents (see {@code DocumentSender}), so no document exceeds it; the local daemon
   * accepts exactly this depth ({@code dev.radiograph.daemon.json.Json.MAX_DEPTH}), and the
   * daemon's {@code NestingLimitTest} holds the two together end to end.
   */
  public static final int MAX_DEPTH = 256;

  private byte[] buffer;
  private int size;
  // needsComma[depth]: whether the next value at this nesting depth follows another.
  private final boolean[] needsComma = new boolean[MAX_DEPTH + 1];
  private int depth;

  public JsonWriter(int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  /** Empties the writer for a new document, keeping its buffer. */
  public JsonWriter reset() {
    size = 0;
    depth = 0;
    needsComma[0] = false;
    return this;
  }

  public int size() {
    return size;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** Drops everything written after {@code mark} (a {@link #size()} taken earlier at the same depth). */
  public void truncate(int mark, boolean commaNeeded) {
    size = mark;
    needsComma[depth] = commaNeeded;
  }

  /** Whether the next value at the current depth will be preceded by a comma. */
  public boolean commaPending() {
    return needsComma[depth];
  }

  /** Depth of nesting: 0 at top level. */
  public int depth() {
    return depth;
  }

  public JsonWriter beginObject() {
    separate();
    put((byte) '{');
    push();
    return this;
  }

  public JsonWriter endObject() {
    depth--;
    put((byte) '}');
    return this;
  }

  public JsonWriter beginArray() {
    separate();
    put((byte) '[');
    push();
    return this;
  }

  public JsonWriter endArray() {
    depth--;
    put((byte) ']');
    return this;
  }

  /** Writes a member name; the next value call writes its value. */
  public JsonWriter name(String name) {
    separate();
    string(name);
    put((byte) ':');
    needsComma[depth] = false; // the value right after a name takes no comma
    return this;
  }

  /** Writes a member name made of ASCII characters that need no escaping (a literal key). */
  public JsonWriter asciiName(byte[] quotedNameColon) {
    separate();
    ensure(quotedNameColon.length);
    System.arraycopy(quotedNameColon, 0, buffer, size, quotedNameColon.length);
    size += quotedNameColon.length;
    needsComma[depth] = false;
    return this;
  }

  /** The bytes of {@code "name":} for use with {@link #asciiName(byte[])}. */
  public static byte[] key(String asciiName) {
    return ('"' + asciiName + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  public JsonWriter value(String value) {
    separate();
    if (value == null) {
      raw("null");
    } else {
      string(value);
    }
    needsComma[depth] = true;
    return this;
  }

  public JsonWriter value(boolean value) {
    separate();
    raw(value ? "true" : "false");
    needsComma[depth] = true;
    return this;
  }

  public JsonWriter value(long value) {
    separate();
    writeLong(value);
    needsComma[depth] = true;
    return this;
  }

  /** A finite double; NaN and infinities, which JSON cannot express, are written as null. */
  public JsonWriter value(double value) {
    separate();
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      raw("null");
    } else if (value == (long) value && Math.abs(value) < 1e15) {
      writeLong((long) value);
    } else {
      raw(Double.toString(value));
    }
    needsComma[depth] = true;
    return this;
  }

  public JsonWriter nullValue() {
    separate();
    raw("null");
    needsComma[depth] = true;
    return this;
  }

  /** Epoch microseconds as fractional epoch seconds with six decimals, the X-Ray time format. */
  public JsonWriter epochSecondsValue(long epochMicros) {
    separate();
    long seconds = epochMicros / 1_000_000;
    int micros = (int) (epochMicros % 1_000_000);
    if (seconds < 1_000_000_000L || seconds > 9_999_999_999L || micros < 0) {
      writeLong(seconds); // outside 2001-2286: the general path
      ensure(7);
      buffer[size++] = '.';
      for (int divisor = 100_000; divisor > 0; divisor /= 10) {
        buffer[size++] = (byte) ('0' + (micros / divisor) % 10);
      }
    } else {
      // Ten digits, a dot, six digits, written backwards with constant divisors: timestamps are
      // the most frequent numbers in a document.
      ensure(17);
      byte[] b = buffer;
      int p = size + 16;
      for (int i = 0; i < 6; i++) {
        b[p--] = (byte) ('0' + micros % 10);
        micros /= 10;
      }
      b[p--] = '.';
      long s = seconds;
      for (int i = 0; i < 10; i++) {
        b[p--] = (byte) ('0' + (int) (s % 10));
        s /= 10;
      }
      size += 17;
    }
    needsComma[depth] = true;
    return this;
  }

  /** A 64-bit id as a quoted 16-digit lower-case hex string. */
  public JsonWriter hexIdValue(long id) {
    separate();
    ensure(18);
    buffer[size++] = '"';
    Hex.write(id, 16, buffer, size);
    size += 16;
    buffer[size++] = '"';
    needsComma[depth] = true;
    return this;
  }

  /** Writes pre-encoded, already valid JSON text (ASCII) as a value. */
  public JsonWriter rawValue(byte[] json) {
    separate();
    ensure(json.length);
    System.arraycopy(json, 0, buffer, size, json.length);
    size += json.length;
    needsComma[depth] = true;
    return this;
  }

  /** Appends raw bytes with no separator logic (for framing around a document). */
  public void appendRaw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void push() {
    if (depth == MAX_DEPTH) {
      throw new TooDeepException();
    }
    depth++;
    needsComma[depth] = false;
  }

  private void separate() {
    if (needsComma[depth]) {
      put((byte) ',');
    }
    needsComma[depth] = true;
  }

  private void raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[size++] = (byte) ascii.charAt(i);
    }
  }

  private void writeLong(long value) {
    if (value == Long.MIN_VALUE) {
      raw("-9223372036854775808");
      return;
    }
    ensure(20);
    if (value < 0) {
      buffer[size++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    for (int i = size + digits - 1; i >= size; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += digits;
  }

  private void string(String s) {
    int n = s.length();
    // Worst case: every char becomes a 6-byte \\u00XX escape or 3 UTF-8 bytes.
    ensure(n * 6 + 2);
    byte[] b = buffer;
    int p = size;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
        } else {
          p = escapeAscii(b, p, c);
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[p++] = (byte) (0xF0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          // A lone surrogate has no UTF-8 encoding: write U+FFFD REPLACEMENT CHARACTER.
          b[p++] = (byte) 0xEF;
          b[p++] = (byte) 0xBF;
          b[p++] = (byte) 0xBD;
        }
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    size = p;
  }

  private static int escapeAscii(byte[] b, int p, char c) {
    b[p++] = '\\';
    switch (c) {
      case '"':
        b[p++] = '"';
        break;
      case '\\':
        b[p++] = '\\';
        break;
      case '\n':
        b[p++] = 'n';
        break;
      case '\r':
        b[p++] = 'r';
        break;
      case '\t':
        b[p++] = 't';
        break;
      case '\b':
        b[p++] = 'b';
        break;
      case '\f':
        b[p++] = 'f';
        break;
      default:
        b[p++] = 'u';
        b[p++] = '0';
        b[p++] = '0';
        b[p++] = HEX[c >> 4];
        b[p++] = HEX[c & 0xF];
    }
    return p;
  }

  /** Thrown when a document nests deeper than the writer allows; callers split the document. */
  public static final class TooDeepException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TooDeepException() {
      super("JSON nesting deeper than " + MAX_DEPTH);
    }
  }

  private void put(byte b) {
    ensure(1);
    buffer[size++] = b;
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }
}
