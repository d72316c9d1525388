package dev.radiograph;

import dev.radiograph.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The trace context that travels between services: the {@code X-Amzn-Trace-Id} header ({@code
 * Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}) and, for
 * OpenTelemetry peers, the W3C {@code traceparent} header.
 *
 * <p>Immutable and safe to share. Reading from the wire never throws: a header is input from
 * another process, and a bad one must leave the request untraced rather than failed. Whatever
 * cannot be understood is dropped, so {@link #parse} returns the valid part of its input (maybe
 * {@link #empty()}). Building from code ({@link Builder}) is strict instead, so that mistakes show
 * up where they are made.
 *
 * <p>Every value satisfies the round-trip law: {@code parse(h.toString())} equals {@code h} and
 * writes the same text.
 */
public final class TraceHeader {
  /** The name of the AWS X-Ray trace header. */
  public static final String HEADER_NAME = "X-Amzn-Trace-Id";

  /** The name of the W3C trace-context header. */
  public static final String TRACEPARENT_HEADER = "traceparent";

  /**
   * The longest header this class writes when it has a choice. The OpenTelemetry X-Ray propagator
   * ignores longer headers, which would cut the trace in two, so additional keys that would make
   * the header longer are dropped. (Only the known parts can exceed it, through a long Lineage.)
   */
  static final int MAX_LENGTH = 256;

  /** Lineage is opaque to us; the bound keeps a hostile one from eating the header budget. */
  static final int MAX_LINEAGE_LENGTH = 200;

  private static final int ROOT_PART_LENGTH = "Root=".length() + TraceId.LENGTH;
  private static final int PARENT_PART_LENGTH = "Parent=".length() + 16;
  private static final int SAMPLED_PART_LENGTH = "Sampled=".length() + 1;
  private static final int LINEAGE_PREFIX_LENGTH = "Lineage=".length();
  private static final int TRACEPARENT_LENGTH = 55;

  private static final byte[] ROOT_PREFIX = ascii("Root=");
  private static final byte[] PARENT_PREFIX = ascii("Parent=");
  private static final byte[] SAMPLED_PREFIX = ascii("Sampled=");
  private static final byte[] LINEAGE_PREFIX = ascii("Lineage=");

  // Key codes for the known keys, found by length first so that most keys cost one comparison.
  private static final int UNKNOWN_KEY = 0;
  private static final int ROOT_KEY = 1;
  private static final int PARENT_KEY = 2;
  private static final int SAMPLED_KEY = 3;
  private static final int LINEAGE_KEY = 4;

  /** All 128 bits zero: W3C calls it invalid and no X-Ray SDK creates it, so it means "absent". */
  private static final TraceId ZERO_ROOT = TraceId.parse("1-00000000-000000000000000000000000");

  private static final TraceHeader EMPTY =
      new TraceHeader(null, 0, Sampled.UNKNOWN, null, Collections.emptyMap());

  /** The sampling decision carried by the {@code Sampled} key. */
  public enum Sampled {
    /** {@code Sampled=1}: the caller recorded this trace; record it too. */
    SAMPLED('1'),
    /** {@code Sampled=0}: the caller did not record this trace; do not record it either. */
    NOT_SAMPLED('0'),
    /**
     * {@code Sampled=?}: the caller asks this service to decide and to return the decision in its
     * response header.
     */
    REQUESTED('?'),
    /** No {@code Sampled} key (or an invalid one): this service decides. Not written. */
    UNKNOWN('\0');

    final char symbol;

    Sampled(char symbol) {
      this.symbol = symbol;
    }
  }

  private final TraceId root; // null when absent; never the all-zero id
  private final long parentId; // 0 when absent: ids are never all zeros
  private final Sampled sampled;
  private final String lineage; // null when absent
  private final Map<String, String> additionalKeys; // unmodifiable, insertion ordered, fits

  private TraceHeader(
      TraceId root,
      long parentId,
      Sampled sampled,
      String lineage,
      Map<String, String> additionalKeys) {
    this.root = root;
    this.parentId = parentId;
    this.sampled = sampled;
    this.lineage = lineage;
    this.additionalKeys = additionalKeys;
  }

  /** The header with nothing in it; one shared instance. Written as {@code ""}. */
  public static TraceHeader empty() {
    return EMPTY;
  }

  /** A builder for a header made by this service (for example the one sent downstream). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads an {@code X-Amzn-Trace-Id} value. Never throws and accepts {@code null}.
   *
   * <p>Tolerant, because every proxy and SDK writes the header slightly differently: spaces and
   * tabs around keys, values and separators, keys in any order and any case, upper-case hex,
   * empty segments, and a missing {@code Parent} (an Application Load Balancer sends only {@code
   * Root}) are all accepted. Invalid values of {@code Root}, {@code Parent}, {@code Sampled} and
   * {@code Lineage} are dropped as if absent; when a known key repeats, its first valid value wins.
   *
   * <p>Other keys ({@code Self=...} and future ones) are forwarded as written, in their order, if
   * the key is {@code [A-Za-z0-9_-]+} and the value is non-empty printable ASCII without {@code
   * ';'}, and only while the whole header still fits in 256 characters: those that do not fit are
   * dropped, to stay within what the OpenTelemetry propagator accepts. A key that starts with
   * {@code Root}, {@code Parent} or {@code Sampled} exactly as written (say {@code SampledBy}) is
   * dropped too: that propagator would take it for the known key and ignore the whole header. When
   * one of these keys repeats, its first value that fits is kept.
   *
   * <p>The result is {@link #empty()} when nothing valid is found.
   */
  public static TraceHeader parse(CharSequence value) {
    if (value == null) {
      return EMPTY;
    }
    int length = value.length();
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

    int pos = 0;
    while (pos < length) {
      // One scan finds both the end of the segment and its first '='.
      int segmentStart = pos;
      int equals = -1;
      int end = pos;
      for (; end < length; end++) {
        char c = value.charAt(end);
        if (c == ';') {
          break;
        }
        if (c == '=' && equals < 0) {
          equals = end;
        }
      }
      pos = end + 1;
      if (equals < 0) {
        continue; // empty segment or garbage without a key
      }
      int keyStart = skipSpace(value, segmentStart, equals);
      int keyEnd = trimSpace(value, keyStart, equals);
      if (keyStart == keyEnd) {
        continue;
      }
      int valueStart = skipSpace(value, equals + 1, end);
      int valueEnd = trimSpace(value, valueStart, end);
      switch (keyOf(value, keyStart, keyEnd)) {
        case ROOT_KEY:
          if (root == null) {
            root = parseRoot(value, valueStart, valueEnd);
          }
          break;
        case PARENT_KEY:
          if (parent == 0 && valueEnd - valueStart == 16) {
            parent = parseId(value, valueStart);
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
          if (isAdditionalPair(value, keyStart, keyEnd, valueStart, valueEnd)) {
            if (unknownCount++ == 0) {
              firstUnknownSegment = segmentStart;
              firstKeyStart = keyStart;
              firstKeyEnd = keyEnd;
              firstValueStart = valueStart;
              firstValueEnd = valueEnd;
            }
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
    return create(root, parent, sampled, lineage, additional);
  }

  /**
   * Reads a W3C {@code traceparent} value, {@code
   * 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, into a header with a Root, a Parent and
   * {@link Sampled#SAMPLED} (flags bit 0 set) or {@link Sampled#NOT_SAMPLED}. The 32 hex digits
   * are the X-Ray trace id without its dashes ({@link TraceId#fromW3C}).
   *
   * <p>Follows the trace-context specification: version {@code ff}, an all-zero trace id or parent
   * id, or a version {@code 00} value that is not exactly 55 characters is invalid; a later version
   * may carry more fields after a {@code '-'}, which are ignored. Upper-case hex, which the
   * specification forbids, is accepted because being lenient here costs nothing. Surrounding
   * spaces and tabs are ignored. Never throws; anything invalid gives {@link #empty()}.
   */
  public static TraceHeader fromTraceparent(CharSequence traceparent) {
    if (traceparent == null) {
      return EMPTY;
    }
    int start = skipSpace(traceparent, 0, traceparent.length());
    int end = trimSpace(traceparent, start, traceparent.length());
    int length = end - start;
    if (length < TRACEPARENT_LENGTH) {
      return EMPTY;
    }
    long version = Hex.parse(traceparent, start, 2);
    if (version < 0 || version == 0xff) {
      return EMPTY;
    }
    if (version == 0
        ? length != TRACEPARENT_LENGTH
        : length > TRACEPARENT_LENGTH && traceparent.charAt(start + TRACEPARENT_LENGTH) != '-') {
      return EMPTY;
    }
    if (traceparent.charAt(start + 2) != '-'
        || traceparent.charAt(start + 35) != '-'
        || traceparent.charAt(start + 52) != '-') {
      return EMPTY;
    }
    long flags = Hex.parse(traceparent, start + 53, 2);
    long parent = parseId(traceparent, start + 36);
    if (flags < 0 || parent == 0) {
      return EMPTY;
    }
    TraceId root = TraceId.fromW3C(new Slice(traceparent, start + 3, start + 35));
    if (root == null) {
      return EMPTY;
    }
    Sampled sampled = (flags & 1) != 0 ? Sampled.SAMPLED : Sampled.NOT_SAMPLED;
    return new TraceHeader(root, parent, sampled, null, Collections.emptyMap());
  }

  /**
   * The incoming trace context of a request that may carry both headers: the {@code
   * X-Amzn-Trace-Id} when it has a valid Root (X-Ray's own header carries more: Lineage, {@code
   * Sampled=?}, other keys); otherwise the {@code traceparent} when valid; otherwise the {@code
   * X-Amzn-Trace-Id} as parsed (it may still ask for a decision with {@code Sampled=?}). Either
   * argument may be {@code null}. Never throws.
   */
  public static TraceHeader from(CharSequence amznTraceId, CharSequence traceparent) {
    TraceHeader amzn = parse(amznTraceId);
    if (amzn.hasRoot()) {
      return amzn;
    }
    TraceHeader w3c = fromTraceparent(traceparent);
    return w3c.hasRoot() ? w3c : amzn;
  }

  /** Whether this header carries nothing at all (it is then written as {@code ""}). */
  public boolean isEmpty() {
    return root == null
        && parentId == 0
        && sampled == Sampled.UNKNOWN
        && lineage == null
        && additionalKeys.isEmpty();
  }

  /** Whether this header names a trace, that is, has a valid {@code Root}. */
  public boolean hasRoot() {
    return root != null;
  }

  /** The trace id ({@code Root}), or {@code null} when absent. */
  public TraceId root() {
    return root;
  }

  /**
   * The id of the caller's segment or subsegment ({@code Parent}) as 16 lower-case hex digits, or
   * {@code null} when absent.
   */
  public String parentId() {
    return parentId == 0 ? null : Hex.id(parentId);
  }

  /** The {@code Parent} id as a number, or 0 when absent (ids are never all zeros). */
  public long parentIdValue() {
    return parentId;
  }

  /** The sampling decision; {@link Sampled#UNKNOWN} when absent, never {@code null}. */
  public Sampled sampled() {
    return sampled;
  }

  /** The {@code Lineage} value, kept as opaque text, or {@code null} when absent. */
  public String lineage() {
    return lineage;
  }

  /**
   * The other keys and their values, in the order they came, to be forwarded as they are.
   * Unmodifiable and never {@code null}.
   */
  public Map<String, String> additionalKeys() {
    return additionalKeys;
  }

  /** A builder that starts from this header's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * This header with another {@code Parent} (0 removes it), as sent to a downstream call. Returns
   * {@code this} when nothing changes. Adding a Parent makes the header longer, so additional keys
   * that no longer fit in 256 characters are dropped (and stay dropped).
   */
  public TraceHeader withParent(long parentId) {
    if (parentId == this.parentId) {
      return this;
    }
    return derive(root, parentId, sampled, lineage);
  }

  /**
   * This header with another sampling decision, for example the one this service made for {@code
   * Sampled=?}. Returns {@code this} when nothing changes; drops additional keys that no longer fit
   * as {@link #withParent} does.
   */
  public TraceHeader withSampled(Sampled sampled) {
    Objects.requireNonNull(sampled, "sampled");
    if (sampled == this.sampled) {
      return this;
    }
    return derive(root, parentId, sampled, lineage);
  }

  /**
   * The {@code X-Amzn-Trace-Id} value: {@code Root=...;Parent=...;Sampled=...;Lineage=...} then the
   * additional keys, absent parts omitted, no spaces; {@code ""} for the empty header.
   */
  @Override
  public String toString() {
    int knownLength = knownLength(root, parentId, sampled, lineage);
    int length = knownLength;
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

  /**
   * The W3C {@code traceparent} value, {@code 00-<trace id>-<parent id>-<flags>}, or {@code null}
   * when the Root or the Parent is absent (W3C has no form without them).
   *
   * <p>The flags are {@code 01} only for {@link Sampled#SAMPLED}. W3C has no "ask the receiver"
   * flag, so {@link Sampled#REQUESTED} and {@link Sampled#UNKNOWN} are written as {@code 00} and
   * come back from {@link #fromTraceparent} as {@link Sampled#NOT_SAMPLED}; Lineage and additional
   * keys are not carried either.
   */
  public String toTraceparent() {
    if (root == null || parentId == 0) {
      return null;
    }
    byte[] out = new byte[TRACEPARENT_LENGTH];
    // TraceId writes only its X-Ray form: write "1-eeeeeeee-rrrr..." at offset 1 so the epoch
    // digits land at 3..10, then close the gap its second dash leaves.
    root.writeTo(out, 1);
    System.arraycopy(out, 12, out, 11, 24);
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    out[35] = '-';
    Hex.write(parentId, 16, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = sampled == Sampled.SAMPLED ? (byte) '1' : (byte) '0';
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * Equal when all parts are equal, the additional keys in the same order too (they are written
   * in order, so headers that are equal also write the same text).
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TraceHeader)) {
      return false;
    }
    TraceHeader other = (TraceHeader) o;
    return parentId == other.parentId
        && sampled == other.sampled
        && Objects.equals(root, other.root)
        && Objects.equals(lineage, other.lineage)
        && sameInOrder(additionalKeys, other.additionalKeys);
  }

  /** A hash over all parts, consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    int h = Objects.hashCode(root);
    h = 31 * h + Long.hashCode(parentId);
    h = 31 * h + sampled.ordinal();
    h = 31 * h + Objects.hashCode(lineage);
    return 31 * h + additionalKeys.hashCode();
  }

  /**
   * Builds a {@link TraceHeader} from code. Unlike {@link TraceHeader#parse}, it rejects invalid
   * values with {@link IllegalArgumentException}: they come from a program, not from the wire.
   */
  public static final class Builder {
    private TraceId root;
    private long parentId;
    private Sampled sampled = Sampled.UNKNOWN;
    private String lineage;
    private final LinkedHashMap<String, String> additionalKeys = new LinkedHashMap<>();

    Builder() {}

    Builder(TraceHeader header) {
      root = header.root;
      parentId = header.parentId;
      sampled = header.sampled;
      lineage = header.lineage;
      additionalKeys.putAll(header.additionalKeys);
    }

    /**
     * Sets the trace id, or removes it when {@code null}.
     *
     * @throws IllegalArgumentException for the all-zero id, which is not a valid trace id
     */
    public Builder root(TraceId root) {
      if (ZERO_ROOT.equals(root)) {
        throw new IllegalArgumentException("the all-zero trace id is invalid");
      }
      this.root = root;
      return this;
    }

    /** Sets the Parent id; 0 removes it (ids are never all zeros). */
    public Builder parentId(long parentId) {
      this.parentId = parentId;
      return this;
    }

    /**
     * Sets the Parent id from its 16 hex digits (either case), or removes it when {@code null}.
     *
     * @throws IllegalArgumentException when not 16 hex digits, or all zeros
     */
    public Builder parentId(String parentId) {
      if (parentId == null) {
        this.parentId = 0;
        return this;
      }
      long id = parentId.length() == 16 ? parseId(parentId, 0) : 0;
      if (id == 0) {
        throw new IllegalArgumentException(
            "parent id must be 16 hex digits, not all zeros: " + parentId);
      }
      this.parentId = id;
      return this;
    }

    /** Sets the sampling decision; {@link Sampled#UNKNOWN} removes it. */
    public Builder sampled(Sampled sampled) {
      this.sampled = Objects.requireNonNull(sampled, "sampled");
      return this;
    }

    /**
     * Sets the Lineage, or removes it when {@code null}.
     *
     * @throws IllegalArgumentException unless 1 to 200 printable ASCII characters without {@code
     *     ';'}
     */
    public Builder lineage(String lineage) {
      if (lineage != null && !isLineage(lineage, 0, lineage.length())) {
        throw new IllegalArgumentException(
            "lineage must be 1 to 200 printable ASCII characters without ';': " + lineage);
      }
      this.lineage = lineage;
      return this;
    }

    /**
     * Adds (or replaces, keeping its place) a key to forward. The header is kept within 256
     * characters: at {@link #build()}, keys that do not fit after the known parts are dropped in
     * order, as {@link TraceHeader#parse} does.
     *
     * @throws IllegalArgumentException unless the key is {@code [A-Za-z0-9_-]+}, is not one of the
     *     known keys (in any case) and does not start with {@code Root}, {@code Parent} or {@code
     *     Sampled}, and the value is non-empty printable ASCII without {@code ';'}, the pair being
     *     at most 256 characters
     */
    public Builder additionalKey(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (keyOf(key, 0, key.length()) != UNKNOWN_KEY
          || !isAdditionalPair(key, 0, key.length(), value, 0, value.length())) {
        throw new IllegalArgumentException("not a valid trace header key/value: " + key + "=" + value);
      }
      additionalKeys.put(key, value);
      return this;
    }

    /** Removes a key added by {@link #additionalKey} or copied from a header. */
    public Builder removeAdditionalKey(String key) {
      additionalKeys.remove(key);
      return this;
    }

    /** The header; {@link TraceHeader#empty()} when nothing is set. */
    public TraceHeader build() {
      int knownLength = knownLength(root, parentId, sampled, lineage);
      Map<String, String> kept = Collections.emptyMap();
      if (!additionalKeys.isEmpty()) {
        kept = fit(additionalKeys, knownLength);
        if (kept == additionalKeys) {
          // Everything fits: never hand out the builder's own map.
          kept = Collections.unmodifiableMap(new LinkedHashMap<>(additionalKeys));
        }
      }
      return create(root, parentId, sampled, lineage, kept);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static TraceHeader create(
      TraceId root, long parent, Sampled sampled, String lineage, Map<String, String> additional) {
    if (root == null
        && parent == 0
        && sampled == Sampled.UNKNOWN
        && lineage == null
        && additional.isEmpty()) {
      return EMPTY;
    }
    return new TraceHeader(root, parent, sampled, lineage, additional);
  }

  private TraceHeader derive(TraceId root, long parent, Sampled sampled, String lineage) {
    // Usually everything still fits and the same unmodifiable map is shared.
    Map<String, String> kept =
        additionalKeys.isEmpty()
            ? additionalKeys
            : fit(additionalKeys, knownLength(root, parent, sampled, lineage));
    return create(root, parent, sampled, lineage, kept);
  }

  /** The written length of the known parts with the separators between them. */
  private static int knownLength(TraceId root, long parent, Sampled sampled, String lineage) {
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
      length += LINEAGE_PREFIX_LENGTH + lineage.length();
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
  private static Map<String, String> fit(Map<String, String> pairs, int knownLength) {
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
  private static Map<String, String> readAdditional(
      CharSequence value, int from, int knownLength) {
    LinkedHashMap<String, String> pairs = new LinkedHashMap<>();
    int used = knownLength;
    int length = value.length();
    int pos = from;
    // The shortest pair, "k=v", needs 4 characters with its separator: stop when none can fit.
    while (pos < length && used <= MAX_LENGTH - 4) {
      int segmentStart = pos;
      int equals = -1;
      int end = pos;
      for (; end < length; end++) {
        char c = value.charAt(end);
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
      int keyStart = skipSpace(value, segmentStart, equals);
      int keyEnd = trimSpace(value, keyStart, equals);
      int valueStart = skipSpace(value, equals + 1, end);
      int valueEnd = trimSpace(value, valueStart, end);
      if (keyStart == keyEnd
          || keyOf(value, keyStart, keyEnd) != UNKNOWN_KEY
          || !isAdditionalPair(value, keyStart, keyEnd, valueStart, valueEnd)) {
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

  private static int keyOf(CharSequence s, int start, int end) {
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
    TraceId root = TraceId.parse(new Slice(s, start, end));
    return ZERO_ROOT.equals(root) ? null : root;
  }

  /** 16 hex digits at {@code start} as a number; 0 when they are not hex (or are all zeros). */
  private static long parseId(CharSequence s, int start) {
    long high = Hex.parse(s, start, 8);
    long low = Hex.parse(s, start + 8, 8);
    if (high < 0 || low < 0) {
      return 0;
    }
    return (high << 32) | low;
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

  private static boolean isLineage(CharSequence s, int start, int end) {
    int length = end - start;
    return length >= 1 && length <= MAX_LINEAGE_LENGTH && isValueText(s, start, end);
  }

  private static boolean isAdditionalPair(
      CharSequence s, int keyStart, int keyEnd, int valueStart, int valueEnd) {
    return isAdditionalPair(s, keyStart, keyEnd, s, valueStart, valueEnd);
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
  private static boolean isAdditionalPair(
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

  private static int skipSpace(CharSequence s, int start, int end) {
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    return start;
  }

  private static int trimSpace(CharSequence s, int start, int end) {
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** HTTP's optional whitespace: space and horizontal tab. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean sameInOrder(Map<String, String> a, Map<String, String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    if (a.isEmpty()) {
      return true;
    }
    Iterator<Map.Entry<String, String>> ia = a.entrySet().iterator();
    Iterator<Map.Entry<String, String>> ib = b.entrySet().iterator();
    while (ia.hasNext()) {
      Map.Entry<String, String> ea = ia.next();
      Map.Entry<String, String> eb = ib.next();
      if (!ea.getKey().equals(eb.getKey()) || !ea.getValue().equals(eb.getValue())) {
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

  private static int put(byte[] ascii, byte[] out, int p) {
    System.arraycopy(ascii, 0, out, p, ascii.length);
    return p + ascii.length;
  }

  /** Copies text known to be ASCII (validated on the way in). */
  private static int put(String ascii, byte[] out, int p) {
    for (int i = 0; i < ascii.length(); i++) {
      out[p++] = (byte) ascii.charAt(i);
    }
    return p;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A window on a CharSequence, so that {@link TraceId}'s parsers read the id in place instead of
   * from a copied substring.
   */
  private static final class Slice implements CharSequence {
    private final CharSequence text;
    private final int start;
    private final int end;

    Slice(CharSequence text, int start, int end) {
      this.text = text;
      this.start = start;
      this.end = end;
    }

    @Override
    public int length() {
      return end - start;
    }

    @Override
    public char charAt(int index) {
      return text.charAt(start + Objects.checkIndex(index, end - start));
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      Objects.checkFromToIndex(from, to, end - start);
      return new Slice(text, start + from, start + to);
    }

    @Override
    public String toString() {
      return text.subSequence(start, end).toString();
    }
  }
}
