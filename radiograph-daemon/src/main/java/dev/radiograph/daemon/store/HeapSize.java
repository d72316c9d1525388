package dev.radiograph.daemon.store;

/**
 * What objects cost on the heap of a 64-bit HotSpot JVM, so that the store's byte bound is a
 * bound on real memory: 12-byte object headers, 4-byte references (compressed oops, the default
 * below 32 GB of heap), 16-byte array headers, every object rounded up to 8 bytes.
 *
 * <p>RATIONALE: counting only a document's text undercounted small documents by 1.6 times (the
 * summary, its strings and the store's maps cost as much as the text), and the JVM ran out of
 * memory inside the bound. The sizes here are checked against the measured heap by
 * {@code StoreHeapTest}.
 */
final class HeapSize {
  /** Bytes of a reference; 8 when the heap is too large for compressed oops. */
  static final int REFERENCE = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;
  static final int OBJECT_HEADER = 12;
  static final int ARRAY_HEADER = 16;
  /** A {@code java.lang.String} without its array: header, value, hash, coder, hashIsZero. */
  static final long STRING = object(1, 6);
  /** A boxed Long, Double or Integer. */
  static final long BOX = object(0, 8);

  private HeapSize() {}

  static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** An object with {@code references} reference fields and {@code primitiveBytes} of others. */
  static long object(int references, int primitiveBytes) {
    return align(OBJECT_HEADER + (long) references * REFERENCE + primitiveBytes);
  }

  static long referenceArray(int length) {
    return align(ARRAY_HEADER + (long) length * REFERENCE);
  }

  static long intArray(int length) {
    return align(ARRAY_HEADER + 4L * length);
  }

  static long byteArray(int length) {
    return align(ARRAY_HEADER + (long) length);
  }

  /** A string and its array: one byte per char when every char is Latin-1 (compact strings), else two. */
  static long string(String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) > 0xFF) {
        return STRING + byteArray(2 * n);
      }
    }
    return STRING + byteArray(n);
  }

  /** A value the JSON parser made and the store keeps: a string, a boxed number, or a shared Boolean. */
  static long value(Object value) {
    if (value instanceof String) {
      return string((String) value);
    }
    return value instanceof Number ? BOX : 0;
  }

  /** {@code List.of}/{@code List.copyOf} of {@code size} elements, without the elements. */
  static long immutableList(int size) {
    if (size == 0) {
      return 0; // the shared empty list
    }
    return size <= 2 ? object(2, 0) : object(1, 0) + referenceArray(size);
  }
}
