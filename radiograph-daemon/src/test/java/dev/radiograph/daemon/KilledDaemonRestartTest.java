package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a daemon started with {@code --data}: once restarted on the same directory,
 * every document it had accepted a second before it was killed is back. The daemon runs in its
 * own {@code java} process (the test's class path), so the kill is a real SIGKILL.
 */
class KilledDaemonRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
  private static final int TRACES = 300;

  /** A daemon in its own process, and the ports it bound. */
  private record Forked(Process process, int udpPort, String baseUrl) {}

  private static Forked start(Path data, Path log) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DaemonMain.class.getName(), "--udp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data", data.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Pattern udp = Pattern.compile("segments \\(UDP\\)\\s+127\\.0\\.0\\.1:(\\d+)");
    Pattern http = Pattern.compile("X-Ray API \\(TCP\\)\\s+(http://127\\.0\\.0\\.1:\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log);
      Matcher u = udp.matcher(out);
      Matcher h = http.matcher(out);
      if (out.contains("Press Ctrl-C") && u.find() && h.find()) {
        return new Forked(process, Integer.parseInt(u.group(1)), h.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("the daemon stopped while starting: " + out);
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("the daemon did not start within 60 s: " + Files.readString(log));
  }

  private static JsonNode post(Forked daemon, String path, String body) throws IOException, InterruptedException {
    return JSON.readTree(DaemonApiTestSupport.postJsonOk(daemon.baseUrl(), path, body));
  }

  private static JsonNode stats(Forked daemon) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.baseUrl() + "/radiograph/stats"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** Waits (bounded) until the daemon's stats say {@code count} documents were accepted. */
  private static void awaitAccepted(Forked daemon, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long accepted = 0;
    while (System.nanoTime() < deadline) {
      accepted = stats(daemon).path("accepted").asLong();
      if (accepted >= count) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the daemon accepted " + accepted + " of " + count + " documents within 30 s");
  }

  private static void collectIds(JsonNode entity, Set<String> ids) {
    ids.add(entity.path("id").asText());
    for (JsonNode sub : entity.path("subsegments")) {
      collectIds(sub, ids);
    }
  }

  @Test
  void everyDocumentAcceptedASecondBeforeTheKillIsBackAfterARestart(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    double now = System.currentTimeMillis() / 1000.0;
    List<String> traceIds = new ArrayList<>();
    Set<String> sent = new HashSet<>();
    Forked first = start(data, dir.resolve("first.log"));
    try (DatagramChannel channel = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), first.udpPort());
      int documents = 0;
      for (int t = 0; t < TRACES; t++) {
        String traceId = String.format(Locale.ROOT, "1-%08x-%024x", (long) now, t);
        traceIds.add(traceId);
        String root = String.format(Locale.ROOT, "%016x", 0x1000_0000L + t);
        List<String> docs = new ArrayList<>();
        docs.add(String.format(Locale.ROOT, "{\"name\":\"orders\",\"id\":\"%s\",\"trace_id\":\"%s\","
            + "\"start_time\":%.3f,\"end_time\":%.3f,\"annotations\":{\"n\":%d}}", root, traceId, now + t * 0.001,
            now + t * 0.001 + 0.05, t));
        for (int s = 0; s < 2; s++) { // subsegments sent on their own, as a streaming SDK does
          String sub = String.format(Locale.ROOT, "%016x", 0x2000_0000L + t * 4L + s);
          docs.add(String.format(Locale.ROOT, "{\"name\":\"db-%d\",\"id\":\"%s\",\"trace_id\":\"%s\","
              + "\"parent_id\":\"%s\",\"type\":\"subsegment\",\"start_time\":%.3f,\"end_time\":%.3f,"
              + "\"namespace\":\"remote\"}", s, sub, traceId, root, now + t * 0.001, now + t * 0.001 + 0.01));
          sent.add(sub);
        }
        sent.add(root);
        for (String doc : docs) {
          channel.send(ByteBuffer.wrap((HEADER + doc).getBytes(StandardCharsets.UTF_8)), target);
          documents++;
        }
        if (documents % 150 == 0) { // in steps, so that no burst outruns the socket's buffer
          awaitAccepted(first, documents);
        }
      }
      awaitAccepted(first, documents);
      assertThat(stats(first).path("store").asText()).isEqualTo("sqlite " + data);
      Thread.sleep(1000);
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
    } finally {
      first.process().destroyForcibly();
    }

    Forked second = start(data, dir.resolve("second.log"));
    try {
      JsonNode stats = stats(second);
      assertThat(stats.path("storedTraces").asLong()).isEqualTo(TRACES);
      assertThat(stats.path("storedDocuments").asLong()).isEqualTo(sent.size());
      JsonNode summaries = post(second, "/TraceSummaries", String.format(Locale.ROOT,
          "{\"StartTime\":%d,\"EndTime\":%d}", (long) now - 60, (long) now + 60));
      assertThat(summaries.path("TracesProcessedCount").asInt()).isEqualTo(TRACES);
      Set<String> back = new HashSet<>();
      for (int from = 0; from < traceIds.size(); from += 100) {
        JsonNode result = post(second, "/Traces",
            JSON.writeValueAsString(java.util.Map.of("TraceIds", traceIds.subList(from, from + 100))));
        assertThat(result.path("UnprocessedTraceIds")).isEmpty();
        for (JsonNode trace : result.path("Traces")) {
          assertThat(trace.path("Segments")).as("subsegments assembled under their segment").hasSize(1);
          for (JsonNode segment : trace.path("Segments")) {
            collectIds(JSON.readTree(segment.path("Document").asText()), back);
          }
        }
      }
      assertThat(back).containsExactlyInAnyOrderElementsOf(sent);
    } finally {
      second.process().destroy();
      if (!second.process().waitFor(30, TimeUnit.SECONDS)) {
        second.process().destroyForcibly();
      }
    }
  }
}
