package dev.radiograph.demo.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceTree;
import dev.radiograph.UdpDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar as {@code ./radiograph demo} starts it ({@code java -jar}, port 0, a port
 * file, the daemon's address): it becomes ready with its own PostgreSQL, serves traced requests,
 * and stops its PostgreSQL when it is stopped. Catches what the tests on the class path
 * cannot: a dependency missing from the jar.
 */
@Timeout(180)
class ExecutableJarIT {
  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  void theJarStartsServesAndStopsWithItsDatabase(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("accounts.jar", "target/radiograph-demo-spring.jar"));
    assertThat(jar).as("the executable jar (mvn package)").isRegularFile();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path portFile = dir.resolve("accounts.port");
    Path log = dir.resolve("accounts.log");
    try (UdpDaemon daemon = new UdpDaemon()) {
      Process process = new ProcessBuilder(java, "-jar", jar.toString(),
          "--server.port=0",
          "--radiograph.daemon-address=" + daemon.address(),
          "--radiograph.sampling=false",
          "--demo.failure-rate=0",
          "--demo.port-file=" + portFile)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        int port = awaitPort(process, portFile, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> order = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/accounts/erin/orders?sku=sku-2"))
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/accounts/erin")).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Erin Castillo", "sku-2");

        // The start-up segment with the migrations, and a segment for each request.
        List<JsonNode> documents = daemon.receive(1, Duration.ofSeconds(10));
        long receivedBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (segments(documents, "accounts") < 3 && System.nanoTime() < receivedBy) {
          documents = daemon.receive(daemon.rawDatagrams().size() + 1, Duration.ofMillis(500));
        }
        assertThat(segments(documents, "accounts")).as("start-up, order and page segments").isGreaterThanOrEqualTo(3);
        List<JsonNode> sql = TraceTree.of(documents).byId.values().stream().filter(e -> e.has("sql")).toList();
        assertThat(sql).anySatisfy(entity ->
            assertThat(entity.at("/sql/sanitized_query").asText()).contains("CREATE TABLE customers"));
        Matcher url = Pattern.compile("jdbc:postgresql://localhost:(\\d+)/").matcher(sql.get(0).at("/sql/url").asText());
        assertThat(url.find()).as("PostgreSQL's port in %s", sql.get(0).at("/sql/url")).isTrue();
        int postgresPort = Integer.parseInt(url.group(1));
        assertThat(listening(postgresPort)).isTrue();

        // SIGTERM, as the launcher's Ctrl-C: the application closes, and stops PostgreSQL (which
        // runs detached from it, so it must be stopped, not merely orphaned).
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the application stops on SIGTERM").isTrue();
        long goneBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (listening(postgresPort) && System.nanoTime() < goneBy) {
          Thread.sleep(100);
        }
        assertThat(listening(postgresPort)).as("PostgreSQL still listening after the application stopped").isFalse();
      } finally {
        if (process.isAlive()) {
          process.destroy(); // its shutdown hooks stop PostgreSQL
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      }
    }
  }

  private static int awaitPort(Process process, Path portFile, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(portFile)) {
        return Integer.parseInt(Files.readString(portFile).trim());
      }
      if (!process.isAlive()) {
        fail("the jar stopped while starting (exit " + process.exitValue() + "):\n" + tail(log));
      }
      Thread.sleep(100);
    }
    return fail("no port file after " + READY.toSeconds() + " s:\n" + tail(log));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long segments(List<JsonNode> documents, String name) {
    return documents.stream().filter(d -> !d.has("type") && d.get("name").asText().equals(name)).count();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
