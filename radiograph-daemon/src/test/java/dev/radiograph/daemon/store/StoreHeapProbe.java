package dev.radiograph.daemon.store;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Run by {@link StoreHeapTest} in a JVM of its own (a known heap, the serial collector): stores
 * documents and prints what the store counts beside what the heap holds after a full collection,
 * as {@code key=value} lines.
 */
public final class StoreHeapProbe {
  private StoreHeapProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long baseline = usedAfterGc();
    MemoryTraceStore store;
    if (mode.equals("mix")) {
      store = new MemoryTraceStore(1_000_000, Long.MAX_VALUE, Integer.MAX_VALUE);
      for (int i = 0; i < 20_000; i++) {
        store.add(parse(segment(i, "")));
      }
      for (int i = 0; i < 10_000; i++) { // non-Latin-1 text: two bytes a char in a String, three in UTF-8
        store.add(parse(segment(100_000 + i, ",\"metadata\":{\"default\":{\"note\":\"\u5b57\u5e55\u30c6\u30b9\u30c8\u00e9\"}}")));
      }
      for (int i = 0; i < 50_000; i++) {
        store.add(parse(subsegment(999_999, i)));
      }
    } else { // "bound": 800,000 small subsegments of one trace, the byte cap binding
      long maxBytes = Long.parseLong(args[1]);
      int maxTraceDocuments = Integer.parseInt(args[2]);
      store = new MemoryTraceStore(10_000, maxBytes, maxTraceDocuments);
      for (int i = 0; i < 800_000; i++) {
        store.add(parse(subsegment(1, i)));
      }
      for (int i = 0; i < 5_000; i++) { // other traces still come and go
        store.add(parse(segment(10 + i, "")));
      }
    }
    long heap = usedAfterGc() - baseline;
    StoreStats stats = store.stats();
    System.out.printf(Locale.ROOT, "storedBytes=%d%nheapBytes=%d%nstoredDocuments=%d%ntruncatedDocuments=%d%n"
        + "storedTraces=%d%ntruncated=%s%n", stats.storedBytes(), heap, stats.storedDocuments(),
        stats.truncatedDocuments(), stats.storedTraces(),
        store.get(String.format(Locale.ROOT, "1-5759e988-%024x", 1)) != null
            && store.get(String.format(Locale.ROOT, "1-5759e988-%024x", 1)).truncated());
    System.out.flush();
    if (store.stats().storedTraces() < 0) {
      throw new AssertionError(); // keeps the store reachable until the heap has been measured
    }
  }

  private static DocumentSummary parse(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return DocumentSummary.parse(utf8, 0, utf8.length);
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A segment as the SDK sends it: http block, annotations, an SQL and an HTTP call. */
  static String segment(long n, String extra) {
    return String.format(Locale.ROOT, "{\"name\":\"orders\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\","
        + "\"start_time\":%.6f,\"end_time\":%.6f,\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://shop.local/orders/%d\","
        + "\"user_agent\":\"curl/8\",\"client_ip\":\"10.0.0.7\"},\"response\":{\"status\":200,\"content_length\":42}},"
        + "\"annotations\":{\"customer\":\"alice\",\"items\":%d},\"aws\":{\"xray\":{\"sdk\":\"Radiograph for Java\"}}%s,"
        + "\"subsegments\":[{\"name\":\"postgres@orders-db\",\"id\":\"%016x\",\"start_time\":%.6f,\"end_time\":%.6f,"
        + "\"namespace\":\"remote\",\"sql\":{\"sanitized_query\":\"SELECT * FROM orders WHERE id = ?\"}},"
        + "{\"name\":\"inventory\",\"id\":\"%016x\",\"start_time\":%.6f,\"end_time\":%.6f,\"namespace\":\"remote\"}]}",
        n + 1, n, 1.7e9 + n, 1.7e9 + n + 0.05, n % 1000, n % 7, extra, (n << 4) + 2, 1.7e9 + n, 1.7e9 + n + 0.01,
        (n << 4) + 3, 1.7e9 + n + 0.02, 1.7e9 + n + 0.03);
  }

  /** A small subsegment streamed on its own, as a long job sends thousands. */
  static String subsegment(long trace, long n) {
    return String.format(Locale.ROOT, "{\"name\":\"step\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\","
        + "\"start_time\":%.6f,\"end_time\":%.6f,\"type\":\"subsegment\",\"parent_id\":\"00000000000000aa\"}",
        n + 0x1000_0000L, trace, 1.7e9 + n * 0.001, 1.7e9 + n * 0.001 + 0.0005);
  }
}
