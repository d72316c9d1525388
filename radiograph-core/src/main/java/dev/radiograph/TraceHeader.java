package dev.radiograph;

import dev.radiograph.internal.Hex;
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

  private static final TraceHeader EMPTY =
      new TraceHeader(null, 0, Sampled.UNKNOWN, null, Collections.emptyMap(), "");

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
  private String text; // the X-Amzn-Trace-Id text once known: the canonical input, or written once

  TraceHeader(
      TraceId root,
      long parentId,
      Sampled sampled,
      String lineage,
      Map<String, String> additionalKeys,
      String text) {
    this.root = root;
    this.parentId = parentId;
    this.sampled = sampled;
    this.lineage = lineage;
    this.additionalKeys = additionalKeys;
    this.text = text;
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
    return XRayHeaderCodec.parse(value);
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
    return TraceparentCodec.parse(traceparent);
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
    return derive(root, parentId, sampled);
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
    return derive(root, parentId, sampled);
  }

  /**
   * The {@code X-Amzn-Trace-Id} value: {@code Root=...;Parent=...;Sampled=...;Lineage=...} then the
   * additional keys, absent parts omitted, no spaces; {@code ""} for the empty header.
   */
  @Override
  public String toString() {
    String written = text;
    if (written == null) {
      written = XRayHeaderCodec.write(this);
      text = written; // a benign race: every thread writes the same text
    }
    return written;
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
    return TraceparentCodec.write(this);
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
      if (root != null && root.isZero()) {
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
      long id = parentId.length() == 16 ? HeaderScanner.parseId(parentId, 0) : 0;
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
      if (lineage != null && !XRayHeaderCodec.isLineage(lineage, 0, lineage.length())) {
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
      if (XRayHeaderCodec.keyOf(key, 0, key.length()) != XRayHeaderCodec.UNKNOWN_KEY
          || !XRayHeaderCodec.isAdditionalPair(key, 0, key.length(), value, 0, value.length())) {
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
      int knownLength = XRayHeaderCodec.knownLength(root, parentId, sampled, lineage);
      Map<String, String> kept = Collections.emptyMap();
      if (!additionalKeys.isEmpty()) {
        kept = XRayHeaderCodec.fit(additionalKeys, knownLength);
        if (kept == additionalKeys) {
          // Everything fits: never hand out the builder's own map.
          kept = Collections.unmodifiableMap(new LinkedHashMap<>(additionalKeys));
        }
      }
      return create(root, parentId, sampled, lineage, kept, null);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The shared empty header when nothing is set, else a new one; {@code text} may be null. */
  static TraceHeader create(TraceId root, long parent, Sampled sampled, String lineage,
      Map<String, String> additional, String text) {
    if (root == null
        && parent == 0
        && sampled == Sampled.UNKNOWN
        && lineage == null
        && additional.isEmpty()) {
      return EMPTY;
    }
    return new TraceHeader(root, parent, sampled, lineage, additional, text);
  }

  /**
   * This header with another root, parent and decision, its Lineage and the additional keys that
   * still fit kept: the header a call made from inside an entity sends downstream. Shares the
   * additional keys' map instead of copying it through a builder.
   */
  TraceHeader derive(TraceId root, long parent, Sampled sampled) {
    // Usually everything still fits and the same unmodifiable map is shared.
    Map<String, String> kept =
        additionalKeys.isEmpty()
            ? additionalKeys
            : XRayHeaderCodec.fit(additionalKeys, XRayHeaderCodec.knownLength(root, parent, sampled, lineage));
    return create(root, parent, sampled, lineage, kept, null);
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
}
