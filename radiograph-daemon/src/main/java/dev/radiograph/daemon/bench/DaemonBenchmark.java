package dev.radiograph.daemon.bench;

import dev.radiograph.daemon.Daemon;
import dev.radiograph.daemon.DaemonMain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./radiograph daemon-bench [S] [N] [daemon flags]}: how fast the daemon ingests and
 * answers, on this machine. Not a test: it measures.
 *
 * <ul>
 *   <li>Ingest: UDP documents (a segment with 3 subsegments, about 1 KB, as the SDK sends them)
 *       at a paced rate from a sender in the same process, in steps of increasing rate (S seconds
 *       each); a step passes when every document sent was stored.
 *   <li>GetTraceSummaries over real HTTP against N stored traces (default 1,000,000), with and
 *       without filter expressions, while ingest runs at 20,000 documents/s.
 *   <li>BatchGetTraces of a trace of 40,000 subsegments sent on their own, while ingest runs at
 *       20,000 documents/s.
 * </ul>
 *
 * <p>Every daemon is configured from the daemon's own flags, so that the same code measures any
 * store: flags given after S and N (for example {@code --data DIR}) are passed to each daemon.
 */
public final class DaemonBenchmark {
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
  private static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin"};
  private static final int BACKGROUND_RATE = 20_000;
  private static final String LONG_TRACE = "1-5759e988-00000000000000000000beef";

  private final String[] daemonFlags;

  private DaemonBenchmark(String[] daemonFlags) {
    this.daemonFlags = daemonFlags;
  }

  public static void main(String[] args) throws Exception {
    int at = 0;
    int stepSeconds = args.length > at && isNumber(args[at]) ? Integer.parseInt(args[at++]) : 3;
    int queryTraces = args.length > at && isNumber(args[at]) ? Integer.parseInt(args[at++]) : 1_000_000;
    DaemonBenchmark bench = new DaemonBenchmark(Arrays.copyOfRange(args, at, args.length));
    System.out.printf(Locale.ROOT, "Radiograph daemon benchmark on %d cores (load average %.1f at start), Java %s,"
        + " heap %d MB, daemon flags: %s%n", Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
        bench.daemonFlags.length == 0 ? "(none: the memory store)" : String.join(" ", bench.daemonFlags));
    bench.ingest(stepSeconds);
    bench.queries(queryTraces);
    bench.longTrace();
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
  }

  /**
   * A daemon on random loopback ports that keeps {@code traces} traces (the byte bound set out of
   * the way), and the benchmark's own flags after.
   */
  private Daemon daemon(int traces) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--udp", "127.0.0.1:0", "--http", "127.0.0.1:0",
        "--max-traces", Integer.toString(traces), "--max-bytes", "64g"));
    flags.addAll(Arrays.asList(daemonFlags));
    return Daemon.start(DaemonMain.config(flags.toArray(new String[0])));
  }

  private static byte[] datagram(long n, double now) {
    String traceId = String.format(Locale.ROOT, "1-%08x-%024x", (long) now, n);
    StringBuilder doc = new StringBuilder(1200);
    doc.append(HEADER).append("{\"name\":\"orders\",\"id\":\"").append(String.format(Locale.ROOT, "%016x", n + 1))
        .append("\",\"trace_id\":\"").append(traceId).append("\",\"start_time\":")
        .append(String.format(Locale.ROOT, "%.6f", now)).append(",\"end_time\":")
        .append(String.format(Locale.ROOT, "%.6f", now + 0.012 + (n % 100) / 100.0))
        .append(",\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"http://shop.local/orders/").append(n % 1000)
        .append("\",\"user_agent\":\"curl/8\",\"client_ip\":\"10.0.0.7\"},\"response\":{\"status\":")
        .append(n % 50 == 0 ? 500 : 200).append(",\"content_length\":42}}")
        .append(n % 50 == 0 ? ",\"fault\":true" : "")
        .append(",\"annotations\":{\"customer\":\"").append(CUSTOMERS[(int) (n % CUSTOMERS.length)])
        .append("\",\"items\":").append(n % 7).append("},\"aws\":{\"xray\":{\"sdk\":\"Radiograph for Java\"}},")
        .append("\"subsegments\":[");
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        doc.append(',');
      }
      doc.append("{\"name\":\"").append(i == 0 ? "postgres@orders-db" : i == 1 ? "inventory" : "render")
          .append("\",\"id\":\"").append(String.format(Locale.ROOT, "%016x", (n << 2) + i + 0x10_0000_0000L))
          .append("\",\"start_time\":").append(String.format(Locale.ROOT, "%.6f", now + 0.001 * i))
          .append(",\"end_time\":").append(String.format(Locale.ROOT, "%.6f", now + 0.001 * i + 0.004))
          .append(i < 2 ? ",\"namespace\":\"remote\"" : "")
          .append(i == 0 ? ",\"sql\":{\"sanitized_query\":\"SELECT * FROM orders WHERE id = ?\",\"database_type\":\"PostgreSQL\"}" : "")
          .append('}');
    }
    doc.append("]}");
    return doc.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends {@code datagrams} at {@code rate} a second, in 1 ms slices, sleeping between them so as not to spin on a core the daemon needs. */
  private static void sendPaced(DatagramChannel channel, InetSocketAddress target, byte[][] datagrams, int rate)
      throws Exception {
    long start = System.nanoTime();
    int perSlice = Math.max(1, rate / 1000);
    for (int i = 0; i < datagrams.length; ) {
      for (int k = 0; k < perSlice && i < datagrams.length; k++, i++) {
        channel.send(ByteBuffer.wrap(datagrams[i]), target);
      }
      long wait = start + (long) i * 1_000_000_000L / rate - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /** Waits until {@code expected} documents are accepted, or until the count stops moving; returns the count. */
  private static long settle(Daemon daemon, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long stored = daemon.store().stats().accepted();
    long previous = -1;
    while (stored < expected && System.nanoTime() < deadline && stored != previous) {
      previous = stored;
      Thread.sleep(300);
      stored = daemon.store().stats().accepted();
    }
    return stored;
  }

  private void ingest(int stepSeconds) throws Exception {
    int[] rates = {10_000, 25_000, 50_000, 75_000, 100_000, 150_000};
    System.out.println();
    System.out.println("| UDP ingest, documents/s offered | sent | stored | lost |");
    System.out.println("|---:|---:|---:|---:|");
    int best = 0;
    long next = 0;
    for (int rate : rates) {
      try (Daemon daemon = daemon(1_000_000); DatagramChannel channel = DatagramChannel.open()) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
        int total = rate * stepSeconds;
        double now = System.currentTimeMillis() / 1000.0;
        byte[][] datagrams = new byte[total][];
        for (int i = 0; i < total; i++) {
          datagrams[i] = datagram(next++, now);
        }
        sendPaced(channel, target, datagrams, rate);
        long stored = settle(daemon, total);
        System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d |%n", rate, total, stored, total - stored);
        if (stored < total) {
          break;
        }
        best = rate;
      }
    }
    System.out.printf(Locale.ROOT, "%nHighest rate with zero loss: %,d documents/s%n", best);
  }

  /**
   * Ingest at {@value #BACKGROUND_RATE} documents/s of new traces while a measurement runs; on
   * {@link #close()} reports whether every one was stored.
   */
  private static final class BackgroundIngest implements AutoCloseable {
    private final Daemon daemon;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final long acceptedBefore;
    private final Thread thread;

    BackgroundIngest(Daemon daemon, long firstId) {
      this.daemon = daemon;
      this.acceptedBefore = daemon.store().stats().accepted();
      this.thread = new Thread(() -> run(firstId), "bench-background-ingest");
      thread.setDaemon(true);
      thread.start();
    }

    private void run(long firstId) {
      try (DatagramChannel channel = DatagramChannel.open()) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
        // One datagram, its ids rewritten in place for each new trace: the sender's own cost stays
        // small beside the daemon's on the shared cores.
        long model = 0x7777777L;
        byte[] template = datagram(model, System.currentTimeMillis() / 1000.0);
        String text = new String(template, StandardCharsets.ISO_8859_1);
        int idAt = text.indexOf(String.format(Locale.ROOT, "%016x\"", model + 1)) + 16; // the segment id's end
        int traceAt = text.indexOf(String.format(Locale.ROOT, "%024x\"", model)) + 24; // the trace id's
        long start = System.nanoTime();
        long n = 0;
        while (running.get()) {
          for (int k = 0; k < BACKGROUND_RATE / 1000; k++, n++) {
            hex(template, idAt, firstId + n);
            hex(template, traceAt, firstId + n);
            channel.send(ByteBuffer.wrap(template), target);
            sent.incrementAndGet();
          }
          long wait = start + n * 1_000_000_000L / BACKGROUND_RATE - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes {@code value}'s last 10 hex digits into {@code bytes} before {@code end}. */
    private static void hex(byte[] bytes, int end, long value) {
      for (int i = 1; i <= 10; i++, value >>>= 4) {
        bytes[end - i] = (byte) "0123456789abcdef".charAt((int) (value & 15));
      }
    }

    /** Documents sent and how many of them were lost. */
    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
      long expected = acceptedBefore + sent.get();
      long stored = settle(daemon, expected);
      System.out.printf(Locale.ROOT, "%nMeanwhile: %,d documents ingested at %,d/s, %,d lost.%n",
          sent.get(), BACKGROUND_RATE, expected - stored);
    }
  }

  private static double[] millis(List<Double> samples) {
    return samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private void queries(int traces) throws Exception {
    // At its bound: each trace ingested meanwhile evicts the oldest, so N traces stay stored.
    try (Daemon daemon = daemon(traces); DatagramChannel channel = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
      double now = System.currentTimeMillis() / 1000.0;
      long t0 = System.nanoTime();
      for (long i = 0; i < traces; i++) {
        channel.send(ByteBuffer.wrap(datagram(1_000_000_000L + i, now - 60 - (traces - i) * 0.001)), target);
        if (i % 20_000 == 0) {
          daemon.awaitDocuments((int) i, Duration.ofSeconds(30));
        }
      }
      daemon.awaitDocuments(traces, Duration.ofSeconds(60));
      System.out.printf(Locale.ROOT, "%n%,d traces stored (%,d documents lost) in %.0f s, %,d MB counted.%n%n",
          daemon.store().stats().storedTraces(), traces - daemon.store().stats().accepted(),
          (System.nanoTime() - t0) / 1e9, daemon.store().stats().storedBytes() >> 20);
      HttpClient http = HttpClient.newHttpClient();
      String[] filters = {"", "fault", "annotation.customer = \\\"alice\\\" and responsetime > 0.5",
          "service(\\\"orders\\\") and http.status >= 500", "http.url CONTAINS \\\"/orders/99\\\""};
      System.out.println("| GetTraceSummaries over " + String.format(Locale.ROOT, "%,d", traces)
          + " traces, ingest at 20,000/s meanwhile | matches | median ms | p95 ms |");
      System.out.println("|---|---:|---:|---:|");
      try (BackgroundIngest background = new BackgroundIngest(daemon, 3_000_000_000L)) {
        for (String filter : filters) {
          String body = "{\"StartTime\":" + ((long) now - 3600) + ",\"EndTime\":" + ((long) now + 3600)
              + ",\"FilterExpression\":\"" + filter + "\"}";
          List<Double> samples = new ArrayList<>();
          String matches = "";
          for (int i = 0; i < 25; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/TraceSummaries"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (i >= 5) {
              samples.add((System.nanoTime() - start) / 1e6);
            }
            String text = response.body();
            int at = text.indexOf("\"TracesProcessedCount\":");
            matches = at < 0 ? "? (" + response.statusCode() + ")" : text.substring(at + 23, text.indexOf(',', at));
          }
          double[] sorted = millis(samples);
          System.out.printf(Locale.ROOT, "| `%s` | %s | %.1f | %.1f |%n", filter.isEmpty() ? "(none)" : filter.replace("\\\"", "\""),
              matches, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.95)]);
        }
      }
    }
  }

  private void longTrace() throws Exception {
    int subsegments = 40_000;
    try (Daemon daemon = daemon(1_000_000); DatagramChannel channel = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
      byte[][] datagrams = new byte[subsegments + 1][];
      for (int i = 0; i < subsegments; i++) {
        datagrams[i] = (HEADER + String.format(Locale.ROOT, "{\"name\":\"step-%d\",\"id\":\"%016x\",\"trace_id\":\"%s\","
            + "\"start_time\":%.4f,\"end_time\":%.4f,\"type\":\"subsegment\",\"parent_id\":\"00000000000000aa\","
            + "\"metadata\":{\"default\":{\"row\":%d}}}", i, 0x1000_0000L + i, LONG_TRACE, 1000 + i * 1e-4,
            1000 + i * 1e-4 + 5e-5, i)).getBytes(StandardCharsets.UTF_8);
      }
      datagrams[subsegments] = (HEADER + "{\"name\":\"job\",\"id\":\"00000000000000aa\",\"trace_id\":\"" + LONG_TRACE
          + "\",\"start_time\":1000,\"end_time\":1010}").getBytes(StandardCharsets.UTF_8);
      sendPaced(channel, target, datagrams, 50_000);
      long stored = settle(daemon, datagrams.length);
      System.out.printf(Locale.ROOT, "%n| BatchGetTraces of one trace of %,d streamed subsegments (%,d stored),"
          + " ingest at 20,000/s meanwhile | median ms | p95 ms | response MB |%n", subsegments, stored);
      System.out.println("|---|---:|---:|---:|");
      HttpClient http = HttpClient.newHttpClient();
      List<Double> samples = new ArrayList<>();
      int bytes = 0;
      try (BackgroundIngest background = new BackgroundIngest(daemon, 4_000_000_000L)) {
        for (int i = 0; i < 13; i++) {
          long start = System.nanoTime();
          HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/Traces"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"TraceIds\":[\"" + LONG_TRACE + "\"]}")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          if (i >= 3) {
            samples.add((System.nanoTime() - start) / 1e6);
          }
          bytes = response.body().length;
        }
        double[] sorted = millis(samples);
        System.out.printf(Locale.ROOT, "| assembled into one segment | %.0f | %.0f | %.1f |%n",
            sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.95)], bytes / 1e6);
      }
    }
  }
}
