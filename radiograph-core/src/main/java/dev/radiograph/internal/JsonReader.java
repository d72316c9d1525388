package dev.radiograph.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON parser (RFC 8259) into plain Java values. The core has no runtime
 * dependencies, and the local daemon parses every segment document it receives with this, so it
 * reads UTF-8 bytes directly, allocates nothing per character, and stays bounded on hostile input.
 *
 * <p>Values: an object is a {@link LinkedHashMap}{@code <String, Object>} in document order (for a
 * duplicate name the last value wins, at the first one's position), an array an {@link ArrayList},
 * a string a {@link String}, {@code true}/{@code false} a {@link Boolean}, {@code null} Java
 * {@code null}. A number without a fraction or exponent that fits in a {@code long} is a {@link
 * Long}; any other number is a {@link Double} (a huge integer loses precision, a huge exponent
 * gives an infinity, as in {@link Double#parseDouble}).
 *
 * <p>Strict: no comments, trailing commas, single quotes, unquoted names, leading zeros, {@code +1},
 * {@code .5}, {@code 1.}, NaN or Infinity; no unescaped control characters in strings; no
 * whitespace but space, tab, CR and LF; nothing after the value; and, in bytes, only well-formed
 * UTF-8. Two allowances: a leading byte order mark is skipped (RFC 8259 section 8.1 permits it,
 * and some Windows editors write one), and a {@code \}{@code uXXXX} escape of a lone surrogate is
 * kept as that char (a Java string can hold it; dropping it would change the text). Nesting is
 * limited ({@value #DEFAULT_MAX_DEPTH} by default); the parser is iterative, so even a deep
 * document cannot overflow the stack.
 *
 * <p>Every problem is a {@link JsonParseException} with the line, column and offset; nothing else
 * escapes for any input. Internal: not part of Radiograph's API.
 */
public final class JsonReader {
  /** How deeply objects and arrays may nest unless a caller says otherwise. */
  public static final int DEFAULT_MAX_DEPTH = 128;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  // Exactly representable powers of ten, for the exact fast path of number parsing.
  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  // HEX_VALUE[c]: the value of ASCII hex digit c, or -1.
  private static final byte[] HEX_VALUE = new byte[128];

  static {
    Arrays.fill(HEX_VALUE, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX_VALUE['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX_VALUE['a' + i] = (byte) (10 + i);
      HEX_VALUE['A' + i] = (byte) (10 + i);
    }
  }

  // What the value loop expects next, for the wording of "expected a value" errors.
  private static final int AT_VALUE = 0;
  private static final int AT_FIRST_ELEMENT = 1;
  private static final int AT_NEXT_ELEMENT = 2;

  private final byte[] buf;
  private final int start;
  private final int end;
  private final int maxDepth;
  // The parsed String, when there is one: its lone surrogates were encoded as 3-byte sequences
  // (which UTF-8 forbids) for this parser alone, and error offsets are reported in its chars.
  private final String source;
  private int pos;
  // Only for strings with escapes or non-ASCII characters; reused for every such string.
  private char[] chars;

  private JsonReader(byte[] buf, int start, int end, int maxDepth, String source) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.maxDepth = maxDepth;
    this.source = source;
  }

  /** Parses a JSON document, nesting at most {@value #DEFAULT_MAX_DEPTH} deep. */
  public static Object parse(String json) {
    return parse(json, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses a JSON document whose objects and arrays nest at most {@code maxDepth} deep (0 allows
   * only a string, number, boolean or null).
   *
   * @throws JsonParseException if {@code json} is not one valid JSON value
   */
  public static Object parse(String json, int maxDepth) {
    Objects.requireNonNull(json, "json");
    checkMaxDepth(maxDepth);
    byte[] utf8 = encode(json);
    return new JsonReader(utf8, 0, utf8.length, maxDepth, json).document();
  }

  /** Parses a whole array of UTF-8 bytes; see {@link #parse(byte[], int, int, int)}. */
  public static Object parse(byte[] utf8) {
    return parse(utf8, 0, utf8.length, DEFAULT_MAX_DEPTH);
  }

  /** Parses UTF-8 bytes, nesting at most {@value #DEFAULT_MAX_DEPTH} deep. */
  public static Object parse(byte[] utf8, int offset, int length) {
    return parse(utf8, offset, length, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses {@code length} bytes of UTF-8 JSON from {@code utf8[offset]}, without decoding them to
   * a string first. Error offsets count bytes from {@code offset}.
   *
   * @throws JsonParseException if the bytes are not one valid JSON value in well-formed UTF-8
   * @throws IndexOutOfBoundsException if the range is not within the array
   */
  public static Object parse(byte[] utf8, int offset, int length, int maxDepth) {
    Objects.checkFromIndexSize(offset, length, utf8.length);
    checkMaxDepth(maxDepth);
    return new JsonReader(utf8, offset, offset + length, maxDepth, null).document();
  }

  /** {@code value} as a JSON object, or an {@link IllegalArgumentException} naming {@code what}. */
  @SuppressWarnings("unchecked") // the parser makes only Map<String, Object>
  public static Map<String, Object> asObject(Object value, String what) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw wrongType(value, what, "an object");
  }

  /** {@code value} as a JSON array, or an {@link IllegalArgumentException} naming {@code what}. */
  @SuppressWarnings("unchecked") // the parser makes only List<Object>
  public static List<Object> asArray(Object value, String what) {
    if (value instanceof List) {
      return (List<Object>) value;
    }
    throw wrongType(value, what, "an array");
  }

  /** {@code value} as a JSON string, or an {@link IllegalArgumentException} naming {@code what}. */
  public static String asString(Object value, String what) {
    if (value instanceof String) {
      return (String) value;
    }
    throw wrongType(value, what, "a string");
  }

  /** {@code value} as a number ({@link Long} or {@link Double}), or an {@link IllegalArgumentException}. */
  public static Number asNumber(Object value, String what) {
    if (value instanceof Number) {
      return (Number) value;
    }
    throw wrongType(value, what, "a number");
  }

  /** {@code value} as a JSON boolean, or an {@link IllegalArgumentException} naming {@code what}. */
  public static boolean asBoolean(Object value, String what) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    throw wrongType(value, what, "a boolean");
  }

  /** The JSON type of a parsed value: object, array, string, number, boolean or null. */
  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof Map) {
      return "object";
    } else if (value instanceof List) {
      return "array";
    } else if (value instanceof String) {
      return "string";
    } else if (value instanceof Number) {
      return "number";
    } else if (value instanceof Boolean) {
      return "boolean";
    }
    return value.getClass().getSimpleName(); // not from the parser
  }

  private static IllegalArgumentException wrongType(Object value, String what, String expected) {
    return new IllegalArgumentException(what + " must be " + expected + ", found " + typeName(value));
  }

  private static void checkMaxDepth(int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be 0 or more, not " + maxDepth);
    }
  }

  private Object document() {
    int p = start;
    if (end - p >= 3 && buf[p] == (byte) 0xEF && buf[p + 1] == (byte) 0xBB && buf[p + 2] == (byte) 0xBF) {
      p += 3;
    }
    pos = p;
    Object value = value();
    if (skipWhitespace() >= 0) {
      throw fail(pos, "expected end of input after the JSON value, found " + describe(pos));
    }
    return value;
  }

  /**
   * The value at {@code pos}. Iterative, with an explicit stack of open containers, so that the
   * depth limit, not the thread's stack size, bounds the nesting.
   */
  @SuppressWarnings("unchecked") // the stack holds only the maps and lists made here
  private Object value() {
    Object[] open = new Object[Math.min(maxDepth, 8)];
    String[] names = new String[open.length]; // names[i]: the member open[i] is reading
    int depth = 0;
    int expecting = AT_VALUE;
    while (true) {
      Object value;
      int c = skipWhitespace();
      if (c == '{' || c == '[') {
        if (depth == maxDepth) {
          throw fail(pos, "nesting deeper than " + maxDepth);
        }
        pos++;
        int next = skipWhitespace();
        if (c == '{' && next == '}') {
          pos++;
          value = new LinkedHashMap<String, Object>();
        } else if (c == '[' && next == ']') {
          pos++;
          value = new ArrayList<Object>();
        } else {
          if (depth == open.length) {
            open = Arrays.copyOf(open, (int) Math.min(maxDepth, depth * 2L));
            names = Arrays.copyOf(names, open.length);
          }
          if (c == '{') {
            if (next != '"') {
              throw fail(pos, "expected a member name in double quotes or '}', found " + describeName(pos));
            }
            open[depth] = new LinkedHashMap<String, Object>();
            names[depth] = memberName();
            expecting = AT_VALUE;
          } else {
            open[depth] = new ArrayList<Object>();
            expecting = AT_FIRST_ELEMENT;
          }
          depth++;
          continue;
        }
      } else if (c == '"') {
        pos++;
        value = string();
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        value = number();
      } else if (c == 't') {
        literal(TRUE);
        value = Boolean.TRUE;
      } else if (c == 'f') {
        literal(FALSE);
        value = Boolean.FALSE;
      } else if (c == 'n') {
        literal(NULL);
        value = null;
      } else {
        throw valueExpected(expecting);
      }

      // A value is complete: add it to its container; each container it closes is a value too.
      while (true) {
        if (depth == 0) {
          return value;
        }
        Object container = open[depth - 1];
        int next = skipWhitespace();
        if (container instanceof ArrayList) {
          ArrayList<Object> array = (ArrayList<Object>) container;
          array.add(value);
          if (next == ',') {
            pos++;
            expecting = AT_NEXT_ELEMENT;
            break;
          } else if (next != ']') {
            throw fail(pos, "expected ',' or ']' after an array element, found " + describe(pos));
          }
          value = array;
        } else {
          LinkedHashMap<String, Object> object = (LinkedHashMap<String, Object>) container;
          object.put(names[depth - 1], value);
          if (next == ',') {
            pos++;
            if (skipWhitespace() != '"') {
              throw fail(pos, "expected a member name in double quotes after ',', found " + describeName(pos)
                  + (pos < end && buf[pos] == '}' ? " (trailing commas are not allowed)" : ""));
            }
            names[depth - 1] = memberName();
            expecting = AT_VALUE;
            break;
          } else if (next != '}') {
            throw fail(pos, "expected ',' or '}' after an object member, found " + describe(pos));
          }
          value = object;
        }
        pos++; // the closing bracket
        open[--depth] = null;
      }
    }
  }

  /** The member name whose opening quote is at {@code pos}, and the colon after it. */
  private String memberName() {
    pos++;
    String name = string();
    if (skipWhitespace() != ':') {
      throw fail(pos, "expected ':' after a member name, found " + describe(pos));
    }
    pos++;
    return name;
  }

  /** The byte at the first non-whitespace position from {@code pos} (0-255), or -1 at the end. */
  private int skipWhitespace() {
    byte[] b = buf;
    int p = pos;
    int e = end;
    while (p < e) {
      byte c = b[p];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        pos = p;
        return c & 0xFF;
      }
      p++;
    }
    pos = p;
    return -1;
  }

  private void literal(byte[] word) {
    int p = pos;
    if (end - p < word.length) {
      throw fail(p, "expected '" + ascii(word) + "', found " + describeWord(p));
    }
    for (int i = 1; i < word.length; i++) {
      if (buf[p + i] != word[i]) {
        throw fail(p, "expected '" + ascii(word) + "', found " + describeWord(p));
      }
    }
    pos = p + word.length;
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private JsonParseException valueExpected(int expecting) {
    String what = expecting == AT_FIRST_ELEMENT ? "expected a value or ']'"
        : expecting == AT_NEXT_ELEMENT ? "expected a value after ','" : "expected a value";
    String found = describeWord(pos);
    String hint = "";
    if (pos < end) {
      switch (buf[pos]) {
        case '\'':
          hint = " (strings must be in double quotes)";
          break;
        case '/':
        case '#':
          hint = " (comments are not allowed)";
          break;
        case '+':
          hint = " (a number must not start with '+')";
          break;
        case '.':
          hint = " (a number must start with a digit)";
          break;
        case ']':
        case '}':
          hint = expecting == AT_NEXT_ELEMENT ? " (trailing commas are not allowed)" : "";
          break;
        default:
          hint = found.equals("'NaN'") || found.equals("'Infinity'") ? " (not a JSON number)" : "";
      }
    }
    return fail(pos, what + ", found " + found + hint);
  }

  /** The string whose opening quote is just before {@code pos}; leaves {@code pos} after its closing quote. */
  private String string() {
    byte[] b = buf;
    int e = end;
    int runStart = pos;
    int p = runStart;
    // The common case: printable ASCII up to the closing quote, copied into the string in one go.
    while (p < e) {
      byte c = b[p];
      if (c == '"') {
        pos = p + 1;
        return new String(b, runStart, p - runStart, StandardCharsets.ISO_8859_1);
      }
      if (c == '\\' || c < 0x20) { // bytes are signed: this is also true for every non-ASCII byte
        break;
      }
      p++;
    }
    return decodeString(runStart, p);
  }

  /** The rest of a string with escapes or non-ASCII characters, the ASCII run {@code [runStart, p)} first. */
  private String decodeString(int runStart, int p) {
    byte[] b = buf;
    int e = end;
    int n = p - runStart;
    char[] out = chars;
    if (out == null || out.length < n + 16) {
      out = new char[Math.max(64, n * 2 + 16)];
    }
    for (int i = 0; i < n; i++) {
      out[i] = (char) b[runStart + i];
    }
    while (true) {
      if (p >= e) {
        throw fail(e, "unterminated string, found end of input");
      }
      if (n + 2 > out.length) { // at most two chars are added per step
        out = Arrays.copyOf(out, out.length * 2);
      }
      int c = b[p];
      if (c >= 0x20 && c != '"' && c != '\\') {
        out[n++] = (char) c;
        p++;
      } else if (c == '"') {
        pos = p + 1;
        chars = out;
        return new String(out, 0, n);
      } else if (c == '\\') {
        out[n++] = escape(p);
        p += b[p + 1] == 'u' ? 6 : 2;
      } else if (c >= 0) {
        throw fail(p, "unescaped control character " + codePoint(c) + " in a string"
            + (c == '\n' || c == '\r' ? " (is a closing '\"' missing?)" : ""));
      } else {
        int cp = codePointAt(p);
        if (cp < 0) {
          throw fail(p, "invalid UTF-8: " + utf8Problem(p));
        }
        if (cp < 0x800) {
          out[n++] = (char) cp;
          p += 2;
        } else if (cp < 0x10000) {
          out[n++] = (char) cp;
          p += 3;
        } else {
          out[n++] = Character.highSurrogate(cp);
          out[n++] = Character.lowSurrogate(cp);
          p += 4;
        }
      }
    }
  }

  /** The char of the escape sequence whose backslash is at {@code p}. */
  private char escape(int p) {
    if (p + 1 >= end) {
      throw fail(end, "unterminated string, found end of input");
    }
    switch (buf[p + 1]) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        int value = 0;
        for (int i = p + 2; i < p + 6; i++) {
          int digit = i < end && buf[i] >= 0 ? HEX_VALUE[buf[i]] : -1;
          if (digit < 0) {
            throw fail(p, "invalid escape sequence: '\\u' must be followed by four hex digits, found "
                + describe(i));
          }
          value = value << 4 | digit;
        }
        // A surrogate pair arrives as two escapes, each one char: nothing to combine. A lone
        // surrogate is kept as is.
        return (char) value;
      default:
        throw fail(p, "invalid escape sequence: '\\' followed by " + describe(p + 1)
            + " (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }
  }

  /** The number starting at {@code pos}. */
  private Object number() {
    byte[] b = buf;
    int e = end;
    int s = pos;
    int p = s;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
      if (p >= e || b[p] < '0' || b[p] > '9') {
        throw fail(p, "expected a digit after '-', found " + describeWord(p));
      }
    }
    // The integer part, accumulated negatively (as Long.parseLong does) to reach Long.MIN_VALUE.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multiplyLimit = limit / 10;
    long accumulated = 0;
    boolean overflow = false;
    if (b[p] == '0') {
      p++;
      if (p < e && b[p] >= '0' && b[p] <= '9') {
        throw fail(p - 1, "a number must not have leading zeros");
      }
    } else {
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        int digit = b[p++] - '0';
        if (accumulated < multiplyLimit || accumulated * 10 < limit + digit) {
          overflow = true;
        } else if (!overflow) {
          accumulated = accumulated * 10 - digit;
        }
      }
    }
    boolean integral = true;
    if (p < e && b[p] == '.') {
      integral = false;
      p++;
      if (p >= e || b[p] < '0' || b[p] > '9') {
        throw fail(p, "expected a digit after the decimal point, found " + describe(p));
      }
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        p++;
      }
    }
    if (p < e && (b[p] == 'e' || b[p] == 'E')) {
      integral = false;
      p++;
      if (p < e && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      if (p >= e || b[p] < '0' || b[p] > '9') {
        throw fail(p, "expected a digit in the exponent, found " + describe(p));
      }
      while (p < e && b[p] >= '0' && b[p] <= '9') {
        p++;
      }
    }
    pos = p;
    if (integral && !overflow) {
      return negative ? accumulated : -accumulated;
    }
    return toDouble(s, p);
  }

  /**
   * The double of the valid number text {@code [s, e)}. Exact and fast when the digits fit in 53
   * bits and the power of ten is at most 22 (both exact doubles, so one correctly rounded multiply
   * or divide), which covers X-Ray's epoch-seconds times; otherwise {@link Double#parseDouble}.
   */
  private double toDouble(int s, int e) {
    byte[] b = buf;
    int p = s;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
    }
    long mantissa = 0;
    int significant = 0;
    int fractionDigits = 0;
    boolean inFraction = false;
    for (; p < e; p++) {
      byte c = b[p];
      if (c == '.') {
        inFraction = true;
        continue;
      }
      if (c < '0' || c > '9') {
        break;
      }
      if (inFraction) {
        fractionDigits++;
      }
      if (mantissa != 0 || c != '0') {
        if (++significant > 18) {
          return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
        }
        mantissa = mantissa * 10 + (c - '0');
      }
    }
    long exponent = 0;
    if (p < e) { // at 'e' or 'E'
      p++;
      boolean negativeExponent = b[p] == '-';
      if (b[p] == '-' || b[p] == '+') {
        p++;
      }
      for (; p < e; p++) {
        if (exponent < 1_000_000) { // far beyond any double: stop before overflowing
          exponent = exponent * 10 + (b[p] - '0');
        }
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    long power = exponent - fractionDigits;
    double value;
    if (mantissa == 0) {
      value = 0;
    } else if (mantissa <= 1L << 53 && power >= -22 && power <= 22) {
      value = power < 0 ? mantissa / POW10[(int) -power] : mantissa * POW10[(int) power];
    } else {
      return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }
    return negative ? -value : value;
  }

  /**
   * The code point of the UTF-8 sequence at {@code p}, or -1 if it is not well-formed (overlong,
   * truncated, an encoded surrogate, above U+10FFFF, or a byte that never appears in UTF-8).
   */
  private int codePointAt(int p) {
    byte[] b = buf;
    int b0 = b[p] & 0xFF;
    if (b0 < 0x80) {
      return b0;
    }
    int length = b0 < 0xC2 ? 0 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : b0 < 0xF5 ? 4 : 0;
    if (length == 0 || end - p < length) {
      return -1;
    }
    int cp = b0 & (0x7F >> length);
    for (int i = 1; i < length; i++) {
      int next = b[p + i];
      if ((next & 0xC0) != 0x80) {
        return -1;
      }
      cp = cp << 6 | (next & 0x3F);
    }
    if (length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF && source == null))) {
      return -1;
    }
    if (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) {
      return -1;
    }
    return cp;
  }

  /** Why the sequence at {@code p} is not UTF-8, for which {@link #codePointAt} returned -1. */
  private String utf8Problem(int p) {
    int b0 = buf[p] & 0xFF;
    if (b0 < 0xC0) {
      return "unexpected continuation byte " + hexByte(b0);
    } else if (b0 < 0xC2) {
      return "overlong encoding (byte " + hexByte(b0) + ")";
    } else if (b0 >= 0xF5) {
      return "byte " + hexByte(b0) + " never appears in UTF-8";
    }
    int length = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    for (int i = 1; i < length; i++) {
      if (p + i >= end) {
        return "truncated sequence at end of input";
      }
      if ((buf[p + i] & 0xC0) != 0x80) {
        return "truncated sequence (byte " + hexByte(buf[p + i] & 0xFF) + " is not a continuation byte)";
      }
    }
    int cp = b0 & (0x7F >> length);
    for (int i = 1; i < length; i++) {
      cp = cp << 6 | (buf[p + i] & 0x3F);
    }
    if (cp < (length == 3 ? 0x800 : 0x10000)) {
      return "overlong encoding";
    } else if (cp > 0x10FFFF) {
      return "code point above U+10FFFF";
    }
    return "surrogate " + codePoint(cp) + " encoded in UTF-8";
  }

  /** What is at {@code p}, for a message: {@code 'x'}, {@code U+000B}, {@code end of input}... */
  private String describe(int p) {
    if (p >= end) {
      return "end of input";
    }
    int c = buf[p] & 0xFF;
    if (c == '\'') {
      return "\"'\"";
    } else if (c >= 0x20 && c < 0x7F) {
      return "'" + (char) c + "'";
    } else if (c < 0x80) {
      return codePoint(c);
    }
    int cp = codePointAt(p);
    if (cp < 0) {
      return "byte " + hexByte(c) + " (invalid UTF-8: " + utf8Problem(p) + ")";
    }
    int type = Character.getType(cp);
    boolean visible = Character.isDefined(cp) && !Character.isISOControl(cp) && !Character.isWhitespace(cp)
        && !Character.isSpaceChar(cp) && type != Character.FORMAT && type != Character.SURROGATE
        && type != Character.PRIVATE_USE;
    return visible ? "'" + new String(Character.toChars(cp)) + "' (" + codePoint(cp) + ")" : codePoint(cp);
  }

  /** Like {@link #describe}, but a run of ASCII letters as a word: {@code 'NaN'}, not {@code 'N'}. */
  private String describeWord(int p) {
    int q = p;
    while (q < end && q - p < 20 && isWordByte(buf[q])) {
      q++;
    }
    if (q - p < 2) {
      return describe(p);
    }
    return "'" + new String(buf, p, q - p, StandardCharsets.ISO_8859_1) + (q < end && isWordByte(buf[q]) ? "...'" : "'");
  }

  /** Like {@link #describeWord}, with a hint for names that are not in double quotes. */
  private String describeName(int p) {
    String found = describeWord(p);
    if (p < end && (buf[p] == '\'' || isWordByte(buf[p]))) {
      return found + " (names must be in double quotes)";
    }
    return found;
  }

  private static boolean isWordByte(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  }

  private static String codePoint(int cp) {
    String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
    return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
  }

  private static String hexByte(int b) {
    return "0x" + Character.toUpperCase(Character.forDigit(b >> 4, 16))
        + Character.toUpperCase(Character.forDigit(b & 0xF, 16));
  }

  /**
   * An exception for a problem at {@code at}. Line and column are counted only now, by scanning
   * the input again, so that parsing valid input does not track them.
   */
  private JsonParseException fail(int at, String problem) {
    byte[] b = buf;
    int line = 1;
    int lineStart = start;
    for (int i = start; i < at; i++) {
      byte c = b[i];
      if (c == '\n' || (c == '\r' && (i + 1 >= end || b[i + 1] != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    if (lineStart == start && end - start >= 3 && b[start] == (byte) 0xEF && b[start + 1] == (byte) 0xBB
        && b[start + 2] == (byte) 0xBF && at >= start + 3) {
      lineStart += 3; // a byte order mark is not a column
    }
    int column = 1;
    for (int i = lineStart; i < at; i++) {
      if ((b[i] & 0xC0) != 0x80) { // each character has exactly one byte that is not a continuation
        column++;
      }
    }
    return new JsonParseException(problem, line, column, source == null ? at - start : charOffset(at));
  }

  /** The char index in {@link #source} of byte {@code at} of its encoding. */
  private int charOffset(int at) {
    String s = source;
    int length = s.length();
    int bytes = 0;
    int i = 0;
    while (bytes < at && i < length) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i < length && Character.isLowSurrogate(s.charAt(i))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return i;
  }

  /**
   * {@code s} as UTF-8, except that a lone surrogate, which has no UTF-8 form, is written as the
   * 3-byte sequence UTF-8 forbids; only the parser of {@code s} accepts it (inside a string, kept
   * as that char), so a Java string's text is parsed as it is rather than with replacements.
   */
  private static byte[] encode(String s) {
    int length = s.length();
    boolean surrogates = false;
    for (int i = 0; i < length; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        surrogates = true;
        break;
      }
    }
    if (!surrogates) {
      return s.getBytes(StandardCharsets.UTF_8); // exact, and intrinsic-fast
    }
    if (length > (Integer.MAX_VALUE - 16) / 3) {
      throw new JsonParseException("document too large (" + length + " chars)", 1, 1, 0);
    }
    byte[] out = new byte[length * 3];
    int n = 0;
    for (int i = 0; i < length; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xC0 | c >> 6);
        out[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate((char) c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint((char) c, s.charAt(++i));
        out[n++] = (byte) (0xF0 | cp >> 18);
        out[n++] = (byte) (0x80 | (cp >> 12 & 0x3F));
        out[n++] = (byte) (0x80 | (cp >> 6 & 0x3F));
        out[n++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        out[n++] = (byte) (0xE0 | c >> 12);
        out[n++] = (byte) (0x80 | (c >> 6 & 0x3F));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return Arrays.copyOf(out, n);
  }
}
