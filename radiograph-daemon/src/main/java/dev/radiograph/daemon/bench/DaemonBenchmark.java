package dev.radiograph.daemon.bench;

import dev.radiograph.daemon.Daemon;
import dev.radiograph.daemon.DaemonConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./radiograph daemon-bench}: how fast the daemon ingests and answers, on this machine.
 *
 * <p>Ingest: UDP documents (a segment with 3 subsegments, about 1 KB, as the SDK sends them) at a
 * paced rate from a sender in the same process, in steps of increasing rate; a step passes when
 * every document sent was stored. Queries: {@code GetTraceSummaries} over real HTTP against
 * 100,000 stored traces, with and without filter expressions. Not a test: it measures.
 */
public final class DaemonBenchmark {
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
  private static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin"};

  private DaemonBenchmark() {}

  public static void main(String[] args) throws Exception {
    int stepSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int queryTraces = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    System.out.printf(Locale.ROOT, "Radiograph daemon benchmark on %d cores, Java %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    ingest(stepSeconds);
    queries(queryTraces);
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

  private static void ingest(int stepSeconds) throws Exception {
    int[] rates = {10_000, 25_000, 50_000, 75_000, 100_000, 150_000};
    System.out.println();
    System.out.println("| UDP ingest, documents/s offered | sent | stored | lost |");
    System.out.println("|---:|---:|---:|---:|");
    int best = 0;
    long next = 0;
    for (int rate : rates) {
      try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
              .maxTraces(1_000_000).maxBytes(8L * 1024 * 1024 * 1024).build());
          DatagramChannel channel = DatagramChannel.open()) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
        int total = rate * stepSeconds;
        double now = System.currentTimeMillis() / 1000.0;
        byte[][] datagrams = new byte[total][];
        for (int i = 0; i < total; i++) {
          datagrams[i] = datagram(next++, now);
        }
        // Paced in 1 ms slices: each slice's share is sent, then the sender sleeps, so the
        // sender does not spin on a core the daemon needs.
        long start = System.nanoTime();
        int perSlice = Math.max(1, rate / 1000);
        for (int i = 0; i < total; ) {
          for (int k = 0; k < perSlice && i < total; k++, i++) {
            channel.send(ByteBuffer.wrap(datagrams[i]), target);
          }
          long due = start + (long) i * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        long stored = daemon.store().stats().accepted();
        long previous = -1;
        while (stored < total && System.nanoTime() < deadline && stored != previous) {
          previous = stored;
          Thread.sleep(300);
          stored = daemon.store().stats().accepted();
        }
        System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d |%n", rate, total, stored, total - stored);
        if (stored < total) {
          break;
        }
        best = rate;
      }
    }
    System.out.printf(Locale.ROOT, "%nHighest rate with zero loss: %,d documents/s%n", best);
  }

  private static void queries(int traces) throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
            .maxTraces(traces).maxBytes(8L * 1024 * 1024 * 1024).build());
        DatagramChannel channel = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
      double now = System.currentTimeMillis() / 1000.0;
      for (long i = 0; i < traces; i++) {
        channel.send(ByteBuffer.wrap(datagram(1_000_000_000L + i, now - (traces - i) * 0.001)), target);
        if (i % 20_000 == 0) {
          daemon.awaitDocuments((int) i, java.time.Duration.ofSeconds(30));
        }
      }
      daemon.awaitDocuments(traces, java.time.Duration.ofSeconds(60));
      System.out.printf(Locale.ROOT, "%n%,d traces stored.%n%n", daemon.store().stats().storedTraces());
      System.out.println("| GetTraceSummaries over " + String.format(Locale.ROOT, "%,d", traces)
          + " traces | matches | median ms | p95 ms |");
      System.out.println("|---|---:|---:|---:|");
      HttpClient http = HttpClient.newHttpClient();
      String[] filters = {"", "fault", "annotation.customer = \\\"alice\\\" and responsetime > 0.5",
          "service(\\\"orders\\\") and http.status >= 500", "http.url CONTAINS \\\"/orders/99\\\""};
      for (String filter : filters) {
        long start = (long) now - 3600;
        String body = "{\"StartTime\":" + start + ",\"EndTime\":" + ((long) now + 60)
            + ",\"FilterExpression\":\"" + filter + "\"}";
        List<Double> millis = new ArrayList<>();
        String matches = "";
        for (int i = 0; i < 25; i++) {
          long t0 = System.nanoTime();
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/TraceSummaries"))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          millis.add((System.nanoTime() - t0) / 1e6);
          String text = response.body();
          int at = text.indexOf("\"TracesProcessedCount\":");
          matches = at < 0 ? "?" : text.substring(at + 23, text.indexOf(',', at));
        }
        double[] sorted = millis.subList(5, millis.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| `%s` | %s | %.1f | %.1f |%n", filter.isEmpty() ? "(none)" : filter.replace("\\\"", "\""),
            matches, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.95)]);
      }
    }
  }

}
