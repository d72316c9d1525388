package dev.radiograph.daemon.bench;

import dev.radiograph.daemon.Daemon;
import dev.radiograph.daemon.DaemonConfig;
import dev.radiograph.daemon.store.SqliteTraceStore;
import dev.radiograph.daemon.store.StoreStats;
import dev.radiograph.daemon.store.TraceStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * UDP ingest with {@code --data} (the SQLite store) beside the memory store, in the same run: at
 * each offered rate, documents of about 1 KB are sent for a few seconds, the daemon is closed
 * (which commits what is queued), and the store on disk is opened again to count what it kept.
 * A test-scope tool (not a test, it measures), run with the module's test class path:
 * {@code java -cp ... dev.radiograph.daemon.bench.PersistentIngestBench [seconds per step]}.
 */
public final class PersistentIngestBench {
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

  private PersistentIngestBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] rates = {20_000, 30_000, 40_000, 50_000, 60_000};
    Path root = Files.createTempDirectory("radiograph-ingest-bench");
    System.out.printf(Locale.ROOT, "UDP ingest, %d s per step, %d cores, Java %s%n%n", seconds,
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.out.println("| documents/s offered | store | sent | accepted | lost | of which dropped (counted) |"
        + " on disk after restart |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|");
    long next = 0;
    try {
      // Warm-up, not reported: the JIT compiles ingest and the writer before the first step.
      for (boolean disk : new boolean[] {false, true}) {
        step(10_000, 20_000, next, disk ? root.resolve("warm-up") : null);
        next += 20_000;
      }
      for (int rate : rates) {
        for (boolean disk : new boolean[] {false, true}) {
          Path data = disk ? root.resolve("rate-" + rate) : null;
          int total = rate * seconds;
          StoreStats stats = step(rate, total, next, data);
          long accepted = stats.accepted();
          next += total;
          String kept = "-";
          if (disk) {
            try (TraceStore reopened = SqliteTraceStore.open(data, 2_000_000, Long.MAX_VALUE, null)) {
              kept = String.format(Locale.ROOT, "%,d", reopened.stats().storedDocuments());
            }
          }
          System.out.printf(Locale.ROOT, "| %,d | %s | %,d | %,d | %,d | %,d | %s |%n", rate,
              disk ? "sqlite" : "memory", total, accepted, total - accepted, stats.droppedOverload(), kept);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Sends {@code total} documents at {@code rate}; returns the store's counts once the daemon closed. */
  private static StoreStats step(int rate, int total, long first, Path data) throws Exception {
    DaemonConfig.Builder config = DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .maxTraces(2_000_000).maxBytes(16L * 1024 * 1024 * 1024).dataDirectory(data);
    TraceStore store;
    try (Daemon daemon = Daemon.start(config.build()); DatagramChannel channel = DatagramChannel.open()) {
      store = daemon.store();
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
      double now = System.currentTimeMillis() / 1000.0;
      byte[][] datagrams = new byte[total][];
      for (int i = 0; i < total; i++) {
        datagrams[i] = document(first + i, now);
      }
      long start = System.nanoTime();
      int perSlice = Math.max(1, rate / 1000); // 1 ms slices, the sender sleeping in between
      for (int i = 0; i < total; ) {
        for (int k = 0; k < perSlice && i < total; k++, i++) {
          channel.send(ByteBuffer.wrap(datagrams[i]), target);
        }
        long wait = start + (long) i * 1_000_000_000L / rate - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      // Until everything is in, or nothing more arrives (bounded).
      long deadline = System.nanoTime() + 10_000_000_000L;
      long accepted = daemon.store().stats().accepted();
      long previous = -1;
      while (accepted < total && accepted != previous && System.nanoTime() < deadline) {
        previous = accepted;
        Thread.sleep(300);
        accepted = daemon.store().stats().accepted();
      }
    }
    return store.stats(); // closing ingests what the daemon had received and commits it
  }

  /** A segment with an http block, annotations and three subsegments: about 1 KB, as SDKs send. */
  private static byte[] document(long n, double now) {
    String traceId = String.format(Locale.ROOT, "1-%08x-%024x", (long) now, n);
    StringBuilder subsegments = new StringBuilder();
    String[] names = {"postgres@orders-db", "inventory", "render"};
    for (int i = 0; i < names.length; i++) {
      subsegments.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"name\":\"%s\",\"id\":\"%016x\",\"start_time\":%.6f,\"end_time\":%.6f,\"namespace\":\"remote\","
              + "\"metadata\":{\"default\":{\"note\":\"%s\"}}}",
          names[i], (n << 2) + i + (1L << 40), now + 0.001 * i, now + 0.001 * i + 0.004,
          "x".repeat(120)));
    }
    String doc = String.format(Locale.ROOT,
        "{\"name\":\"orders\",\"id\":\"%016x\",\"trace_id\":\"%s\",\"start_time\":%.6f,\"end_time\":%.6f,"
            + "\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://shop.local/orders/%d\","
            + "\"user_agent\":\"curl/8\",\"client_ip\":\"10.0.0.7\"},\"response\":{\"status\":%d}},"
            + "\"annotations\":{\"customer\":\"c%d\",\"items\":%d},\"aws\":{\"xray\":{\"sdk\":\"Radiograph\"}},"
            + "\"subsegments\":[%s]}",
        n + 1, traceId, now, now + 0.012 + (n % 100) / 100.0, n % 1000, n % 50 == 0 ? 500 : 200, n % 5, n % 7,
        subsegments);
    return (HEADER + doc).getBytes(StandardCharsets.UTF_8);
  }
}
