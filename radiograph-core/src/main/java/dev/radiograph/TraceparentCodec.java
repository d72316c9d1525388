package dev.radiograph;

import dev.radiograph.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * The W3C trace-context {@code traceparent} header, {@code 00-<32 hex trace id>-<16 hex parent
 * id>-<2 hex flags>}, read into and written from a {@link TraceHeader}.
 */
final class TraceparentCodec {
  static final int LENGTH = 55;

  private TraceparentCodec() {}

  /**
   * Follows the trace-context specification: version {@code ff}, an all-zero trace id or parent
   * id, or a version {@code 00} value that is not exactly 55 characters is invalid; a later version
   * may carry more fields after a {@code '-'}, which are ignored. Upper-case hex, which the
   * specification forbids, is accepted because being lenient here costs nothing. Surrounding
   * spaces and tabs are ignored. Never throws; anything invalid gives the empty header.
   */
  static TraceHeader parse(CharSequence traceparent) {
    if (traceparent == null) {
      return TraceHeader.empty();
    }
    int start = HeaderScanner.skipSpace(traceparent, 0, traceparent.length());
    int end = HeaderScanner.trimSpace(traceparent, start, traceparent.length());
    int length = end - start;
    if (length < LENGTH) {
      return TraceHeader.empty();
    }
    long version = Hex.parse(traceparent, start, 2);
    if (version < 0 || version == 0xff) {
      return TraceHeader.empty();
    }
    if (version == 0
        ? length != LENGTH
        : length > LENGTH && traceparent.charAt(start + LENGTH) != '-') {
      return TraceHeader.empty();
    }
    if (traceparent.charAt(start + 2) != '-'
        || traceparent.charAt(start + 35) != '-'
        || traceparent.charAt(start + 52) != '-') {
      return TraceHeader.empty();
    }
    long flags = Hex.parse(traceparent, start + 53, 2);
    long parent = HeaderScanner.parseId(traceparent, start + 36);
    if (flags < 0 || parent == 0) {
      return TraceHeader.empty();
    }
    TraceId root = TraceId.fromW3C(traceparent, start + 3);
    if (root == null) {
      return TraceHeader.empty();
    }
    TraceHeader.Sampled sampled = (flags & 1) != 0 ? TraceHeader.Sampled.SAMPLED : TraceHeader.Sampled.NOT_SAMPLED;
    return new TraceHeader(root, parent, sampled, null, Collections.emptyMap(), null);
  }

  /** The value for {@code header}, or {@code null} without a Root and a Parent. */
  static String write(TraceHeader header) {
    TraceId root = header.root();
    long parentId = header.parentIdValue();
    if (root == null || parentId == 0) {
      return null;
    }
    byte[] out = new byte[LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    root.writeW3CTo(out, 3);
    out[35] = '-';
    Hex.write(parentId, 16, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = header.sampled() == TraceHeader.Sampled.SAMPLED ? (byte) '1' : (byte) '0';
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}
