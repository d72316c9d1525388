package dev.radiograph.otlp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes protocol buffers wire format into a growing buffer: just what OTLP's trace messages use
 * (varints, fixed64/fixed32, doubles, length-delimited strings, bytes and nested messages).
 *
 * <p>RATIONALE: core has no runtime dependencies, and OTLP's trace request needs only these few
 * encodings, so a hundred lines replace protobuf-java. A nested message is written in place: its
 * length is reserved as one byte and, when the message turns out longer than 127 bytes, its bytes
 * are moved right by the extra length bytes. Messages are small and shallow (span, attribute,
 * value), so the moves cost less than sizing every message in a first pass.
 */
public final class ProtobufWriter {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH = 2;
  private static final int WIRE_FIXED32 = 5;

  private byte[] buffer;
  private int size;

  /** A writer whose buffer starts at {@code initialCapacity} bytes. */
  public ProtobufWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** Forgets what was written; keeps the buffer. */
  public void reset() {
    size = 0;
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** Starts a nested message as field {@code field}; returns the mark to pass to {@link #end}. */
  public int begin(int field) {
    tag(field, WIRE_LENGTH);
    ensure(1);
    buffer[size++] = 0;
    return size;
  }

  /** Ends the nested message begun at {@code mark}, writing its length before it. */
  public void end(int mark) {
    int length = size - mark;
    int extra = varintSize(length) - 1;
    if (extra > 0) {
      ensure(extra);
      System.arraycopy(buffer, mark, buffer, mark + extra, length);
      size += extra;
    }
    int at = mark - 1;
    long value = length;
    while ((value & ~0x7FL) != 0) {
      buffer[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[at] = (byte) value;
  }

  /** Appends what {@code other} wrote (fields of the message being written). */
  public void raw(ProtobufWriter other) {
    ensure(other.size);
    System.arraycopy(other.buffer, 0, buffer, size, other.size);
    size += other.size;
  }

  /** A string field; an empty or null string is left out, as protobuf does for defaults. */
  public void string(int field, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A string field written even when empty (an element of a repeated field or a oneof). */
  public void stringAlways(int field, String value) {
    bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field. */
  public void bytes(int field, byte[] value) {
    tag(field, WIRE_LENGTH);
    varint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
  }

  /** An int32/int64/enum/bool field as a varint; zero is left out unless {@code always}. */
  public void varintField(int field, long value, boolean always) {
    if (value == 0 && !always) {
      return;
    }
    tag(field, WIRE_VARINT);
    varint(value);
  }

  /** A fixed64 field (OTLP's timestamps); zero is left out. */
  public void fixed64(int field, long value) {
    if (value == 0) {
      return;
    }
    tag(field, WIRE_FIXED64);
    rawLittleEndian(value, 8);
  }

  /** A fixed32 field; zero is left out. */
  public void fixed32(int field, int value) {
    if (value == 0) {
      return;
    }
    tag(field, WIRE_FIXED32);
    rawLittleEndian(value, 4);
  }

  /** A double field, always written (a oneof member). */
  public void doubleAlways(int field, double value) {
    tag(field, WIRE_FIXED64);
    rawLittleEndian(Double.doubleToRawLongBits(value), 8);
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buffer[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
  }

  private void rawLittleEndian(long value, int bytes) {
    ensure(bytes);
    for (int i = 0; i < bytes; i++) {
      buffer[size++] = (byte) (value >>> (8 * i));
    }
  }

  private static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
