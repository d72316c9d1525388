package dev.radiograph;

import dev.radiograph.TraceHeader.Sampled;
import dev.radiograph.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code X-Amzn-Trace-Id} header's text: {@code Root=...;Parent=...;Sampled=...;Lineage=...}
 * then additional keys. Reads it as tolerantly as the other X-Ray SDKs write it, writes it the one
 * canonical way, and keeps it within the 256 characters the OpenTelemetry X-Ray propagator reads.
 *
 * <p>RATIONALE: a service mostly forwards the header it received, and that header is mostly
 * already canonical: an X-Ray SDK or load balancer wrote it. So {@link #parse} first reads its
 * input as that canonical text, at fixed positions, with no scan and no allocation but the value;
 * when that succeeds the header keeps the input as its text, and writing it back costs nothing.
 * Anything else (spaces, other cases or orders, unknown keys) takes the tolerant scan.
 */
final class XRayHeaderCodec {
  /** The longest header written when there is a choice (see {@link TraceHeader#parse}). */
  static final int MAX_LENGTH = 256;

  /** Lineage is opaque to us; the bound keeps a hostile one from eating the header budget. */
  static final int MAX_LINEAGE_LENGTH = 200;

  private static final String ROOT_PREFIX = "Root=";
  private static final String PARENT_PREFIX = "Parent=";
  private static final String SAMPLED_PREFIX = "Sampled=";
  private static final String LINEAGE_PREFIX = "Lineage=";
  private static final int ROOT_PART_LENGTH = ROOT_PREFIX.length() + TraceId.LENGTH;
  private static final int PARENT_PART_LENGTH = PARENT_PREFIX.length() + 16;
  private static final int SAMPLED_PART_LENGTH = SAMPLED_PREFIX.length() + 1;

  // Key codes for the known keys, found by length first so that most keys cost one comparison.
  static final int UNKNOWN_KEY = 0;
  private static final int ROOT_KEY = 1;
  private static final int PARENT_KEY = 2;
  private static final int SAMPLED_KEY = 3;
  private static final int LINEAGE_KEY = 4;

  private XRayHeaderCodec() {}

  /** See {@link TraceHeader#parse}: never throws, keeps what is valid. */
  static TraceHeader parse(CharSequence value) {
    if (value == null) {
      return TraceHeader.empty();
    }
    if (value instanceof String) {
      TraceHeader canonical = parseCanonical((String) value);
      if (canonical != null) {
        return canonical;
      }
    }
    TraceId root = null;
    long parent = 0;
    Sampled sampled = Sampled.UNKNOWN;
    String lineage = null;
    // Other keys are only kept while the header fits, and the length of the known parts is only
    // known at the end. So the first such pair is remembered by position (the common case: ALB's
    // Self); when there are more, a second pass reads them, starting where the first one was.
    int unknownCount = 0;
    int firstUnknownSegment = 0;
    int firstKeyStart = 0;
    int firstKeyEnd = 0;
    int firstValueStart = 0;
    int firstValueEnd = 0;

    HeaderScanner scan = new HeaderScanner(value, 0);
    while (scan.next()) {
      int valueStart = scan.valueStart;
      int valueEnd = scan.valueEnd;
      switch (keyOf(value, scan.keyStart, scan.keyEnd)) {
        case ROOT_KEY:
          if (root == null) {
            root = parseRoot(value, valueStart, valueEnd);
          }
          break;
        case PARENT_KEY:
          if (parent == 0 && valueEnd - valueStart == 16) {
            parent = HeaderScanner.parseId(value, valueStart);
          }
          break;
        case SAMPLED_KEY:
          if (sampled == Sampled.UNKNOWN) {
            sampled = parseSampled(value, valueStart, valueEnd);
          }
          break;
        case LINEAGE_KEY:
          if (lineage == null && isLineage(value, valueStart, valueEnd)) {
            lineage = value.subSequence(valueStart, valueEnd).toString();
          }
          break;
        default:
          if (isAdditionalPair(value, scan.keyStart, scan.keyEnd, value, valueStart, valueEnd)
              && unknownCount++ == 0) {
            firstUnknownSegment = scan.segmentStart;
            firstKeyStart = scan.keyStart;
            firstKeyEnd = scan.keyEnd;
            firstValueStart = valueStart;
            firstValueEnd = valueEnd;
          }
          break;
      }
    }

    int knownLength = knownLength(root, parent, sampled, lineage);
    Map<String, String> additional;
    if (unknownCount == 0) {
      additional = Collections.emptyMap();
    } else if (unknownCount == 1) {
      int pairLength = firstKeyEnd - firstKeyStart + 1 + firstValueEnd - firstValueStart;
      additional =
          fits(knownLength, pairLength)
              ? Collections.singletonMap(
                  value.subSequence(firstKeyStart, firstKeyEnd).toString(),
                  value.subSequence(firstValueStart, firstValueEnd).toString())
              : Collections.emptyMap();
    } else {
      additional = readAdditional(value, firstUnknownSegment, knownLength);
    }
    return TraceHeader.create(root, parent, sampled, lineage, additional, null);
  }

  /**
   * The header {@code text} is, if it is exactly what {@link #write} writes: {@code Root=} with a
   * lower-case id, then optionally {@code ;Parent=}, {@code ;Sampled=} and {@code ;Lineage=} in
   * that order, nothing else. Null otherwise, for the tolerant parse to read.
   */
  private static TraceHeader parseCanonical(String text) {
    int length = text.length();
    if (length < ROOT_PART_LENGTH || !text.startsWith(ROOT_PREFIX)) {
      return null;
    }
    TraceId root = TraceId.parseLowerCase(text, ROOT_PREFIX.length());
    if (root == null || root.isZero()) {
      return null;
    }
    int p = ROOT_PART_LENGTH;
    long parent = 0;
    if (p < length && text.startsWith(";" + PARENT_PREFIX, p)) {
      int digits = p + 1 + PARENT_PREFIX.length();
      if (digits + 16 > length) {
        return null;
      }
      long high = Hex.parseLowerCase(text, digits, 8);
      long low = Hex.parseLowerCase(text, digits + 8, 8);
      parent = (high << 32) | low;
      if (high < 0 || low < 0 || parent == 0) {
        return null; // invalid, or all zeros, which the tolerant parse drops
      }
      p = digits + 16;
    }
    Sampled sampled = Sampled.UNKNOWN;
    if (p < length && text.startsWith(";" + SAMPLED_PREFIX, p)) {
      int symbol = p + 1 + SAMPLED_PREFIX.length();
      if (symbol >= length) {
        return null;
      }
      sampled = parseSampled(text, symbol, symbol + 1);
      if (sampled == Sampled.UNKNOWN) {
        return null;
      }
      p = symbol + 1;
    }
    String lineage = null;
    if (p < length && text.startsWith(";" + LINEAGE_PREFIX, p)) {
      int start = p + 1 + LINEAGE_PREFIX.length();
      if (!isLineage(text, start, length)) {
        return null;
      }
      lineage = text.substring(start);
      p = length;
    }
    return p == length ? new TraceHeader(root, parent, sampled, lineage, Collections.emptyMap(), text) : null;
  }

  /**
   * The canonical text: the known parts in order, then the additional keys, absent parts
   * omitted, no spaces; {@code ""} for the empty header.
   */
  static String write(TraceHeader header) {
    TraceId root = header.root();
    long parentId = header.parentIdValue();
    Sampled sampled = header.sampled();
    String lineage = header.lineage();
    Map<String, String> additionalKeys = header.additionalKeys();
    int length = knownLength(root, parentId, sampled, lineage);
    for (Map.Entry<String, String> entry : additionalKeys.entrySet()) {
      length += (length == 0 ? 0 : 1) + entry.getKey().length() + 1 + entry.getValue().length();
    }
    if (length == 0) {
      return "";
    }
    // Every character is ASCII: one byte buffer and one Latin-1 String, no StringBuilder growth
    // and no intermediate String for the trace id.
    byte[] out = new byte[length];
    int p = 0;
    if (root != null) {
      p = put(ROOT_PREFIX, out, p);
      root.writeTo(out, p);
      p += TraceId.LENGTH;
    }
    if (parentId != 0) {
      p = put(PARENT_PREFIX, out, separate(out, p));
      Hex.write(parentId, 16, out, p);
      p += 16;
    }
    if (sampled != Sampled.UNKNOWN) {
      p = put(SAMPLED_PREFIX, out, separate(out, p));
      out[p++] = (byte) sampled.symbol;
    }
    if (lineage != null) {
      p = put(LINEAGE_PREFIX, out, separate(out, p));
      p = put(lineage, out, p);
    }
    for (Map.Entry<String, String> entry : additionalKeys.entrySet()) {
      p = put(entry.getKey(), out, separate(out, p));
      out[p++] = '=';
      p = put(entry.getValue(), out, p);
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** The written length of the known parts with the separators between them. */
  static int knownLength(TraceId root, long parent, Sampled sampled, String lineage) {
    int length = 0;
    int parts = 0;
    if (root != null) {
      length += ROOT_PART_LENGTH;
      parts++;
    }
    if (parent != 0) {
      length += PARENT_PART_LENGTH;
      parts++;
    }
    if (sampled != Sampled.UNKNOWN) {
      length += SAMPLED_PART_LENGTH;
      parts++;
    }
    if (lineage != null) {
      length += LINEAGE_PREFIX.length() + lineage.length();
      parts++;
    }
    return parts == 0 ? 0 : length + parts - 1;
  }

  /** Whether a pair of {@code pairLength} characters fits after {@code used} characters. */
  private static boolean fits(int used, int pairLength) {
    return used + (used == 0 ? 0 : 1) + pairLength <= MAX_LENGTH;
  }

  /**
   * The pairs that fit after {@code knownLength} characters, taken in order: {@code pairs} itself
   * when all do (the usual case, which allocates nothing), else a new unmodifiable map.
   */
  static Map<String, String> fit(Map<String, String> pairs, int knownLength) {
    int used = knownLength;
    boolean allFit = true;
    for (Map.Entry<String, String> entry : pairs.entrySet()) {
      int pairLength = entry.getKey().length() + 1 + entry.getValue().length();
      if (!fits(used, pairLength)) {
        allFit = false;
        break;
      }
      used += (used == 0 ? 0 : 1) + pairLength;
    }
    if (allFit) {
      return pairs;
    }
    LinkedHashMap<String, String> kept = new LinkedHashMap<>();
    used = knownLength;
    for (Map.Entry<String, String> entry : pairs.entrySet()) {
      int pairLength = entry.getKey().length() + 1 + entry.getValue().length();
      if (fits(used, pairLength)) {
        kept.put(entry.getKey(), entry.getValue());
        used += (used == 0 ? 0 : 1) + pairLength;
      }
    }
    return kept.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(kept);
  }

  /**
   * The second pass of {@link #parse}, for headers with more than one additional pair: reads them
   * from {@code from}, keeping those that fit after the known parts.
   */
  private static Map<String, String> readAdditional(CharSequence value, int from, int knownLength) {
    LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
    int used = knownLength;
    HeaderScanner scan = new HeaderScanner(value, from);
    // The shortest pair, "k=v", needs 4 characters with its separator: stop when none can fit.
    while (used <= MAX_LENGTH - 4 && scan.next()) {
      int keyStart = scan.keyStart;
      int keyEnd = scan.keyEnd;
      int valueStart = scan.valueStart;
      int valueEnd = scan.valueEnd;
      if (keyOf(value, keyStart, keyEnd) != UNKNOWN_KEY
          || !isAdditionalPair(value, keyStart, keyEnd, value, valueStart, valueEnd)) {
        continue;
      }
      int pairLength = keyEnd - keyStart + 1 + valueEnd - valueStart;
      if (!fits(used, pairLength)) {
        continue;
      }
      String key = value.subSequence(keyStart, keyEnd).toString();
      if (!pairs.containsKey(key)) {
        pairs.put(key, value.subSequence(valueStart, valueEnd).toString());
        used += (used == 0 ? 0 : 1) + pairLength;
      }
    }
    return pairs.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(pairs);
  }

  static int keyOf(CharSequence s, int start, int end) {
    switch (end - start) {
      case 4:
        return equalsLowerCase(s, start, "root") ? ROOT_KEY : UNKNOWN_KEY;
      case 6:
        return equalsLowerCase(s, start, "parent") ? PARENT_KEY : UNKNOWN_KEY;
      case 7:
        if (equalsLowerCase(s, start, "sampled")) {
          return SAMPLED_KEY;
        }
        return equalsLowerCase(s, start, "lineage") ? LINEAGE_KEY : UNKNOWN_KEY;
      default:
        return UNKNOWN_KEY;
    }
  }

  /**
   * ASCII case-insensitive comparison with a lower-case, letters-only literal. {@code c | 0x20}
   * equals a lower-case letter only for that letter and its upper case, whatever {@code c} is.
   */
  private static boolean equalsLowerCase(CharSequence s, int start, String lowerLetters) {
    for (int i = 0; i < lowerLetters.length(); i++) {
      if ((s.charAt(start + i) | 0x20) != lowerLetters.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static TraceId parseRoot(CharSequence s, int start, int end) {
    if (end - start != TraceId.LENGTH) {
      return null;
    }
    TraceId root = TraceId.parse(s, start);
    return root != null && root.isZero() ? null : root;
  }

  private static Sampled parseSampled(CharSequence s, int start, int end) {
    if (end - start != 1) {
      return Sampled.UNKNOWN;
    }
    switch (s.charAt(start)) {
      case '1':
        return Sampled.SAMPLED;
      case '0':
        return Sampled.NOT_SAMPLED;
      case '?':
        return Sampled.REQUESTED;
      default:
        return Sampled.UNKNOWN;
    }
  }

  static boolean isLineage(CharSequence s, int start, int end) {
    int length = end - start;
    return length >= 1 && length <= MAX_LINEAGE_LENGTH && isValueText(s, start, end);
  }

  /**
   * A key of {@code [A-Za-z0-9_-]+} and a non-empty value of printable ASCII without ';', at most
   * 256 characters together (longer can never fit; checked first so that a huge value costs no
   * scan).
   *
   * <p>The key must not start with {@code Root}, {@code Parent} or {@code Sampled} as written: the
   * OpenTelemetry X-Ray propagator recognises the known keys by that prefix, so it would read
   * {@code SampledBy=x} as an invalid Sampled and ignore the whole header.
   */
  static boolean isAdditionalPair(
      CharSequence key, int keyStart, int keyEnd, CharSequence value, int valueStart, int valueEnd) {
    if (keyEnd <= keyStart
        || valueEnd <= valueStart
        || keyEnd - keyStart + 1 + valueEnd - valueStart > MAX_LENGTH) {
      return false;
    }
    for (int i = keyStart; i < keyEnd; i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return !startsWith(key, keyStart, keyEnd, "Root")
        && !startsWith(key, keyStart, keyEnd, "Parent")
        && !startsWith(key, keyStart, keyEnd, "Sampled")
        && isValueText(value, valueStart, valueEnd);
  }

  private static boolean startsWith(CharSequence s, int start, int end, String prefix) {
    if (end - start < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (s.charAt(start + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Printable ASCII (0x21 to 0x7E) without ';': what can be written back and read unchanged. */
  private static boolean isValueText(CharSequence s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ';') {
        return false;
      }
    }
    return true;
  }

  private static int separate(byte[] out, int p) {
    if (p > 0) {
      out[p++] = ';';
    }
    return p;
  }

  /** Copies text known to be ASCII (validated on the way in). */
  private static int put(String ascii, byte[] out, int p) {
    for (int i = 0; i < ascii.length(); i++) {
      out[p++] = (byte) ascii.charAt(i);
    }
    return p;
  }
}
