package dev.radiograph.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import dev.radiograph.spring.logs.LogsApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain Spring Boot application with the starter and no logging configuration: its default log
 * line for a request carries {@code [application,traceId,spanId]}, the ids of the segment the
 * daemon received.
 */
class LogCorrelationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path logs;

  /**
   * Spring Boot hands the resolved patterns to the logging system as JVM system properties and
   * leaves them set; the applications of earlier tests in this JVM must not decide this one's.
   */
  @BeforeEach
  @AfterEach
  void forgetEarlierApplicationsPatterns() {
    System.clearProperty("LOG_CORRELATION_PATTERN");
  }

  @Test
  void theDefaultLogLineOfARequestShowsItsTraceAndSegment() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon()) {
      Path file = logs.resolve("accounts.log");
      ConfigurableApplicationContext app = start(daemon, file);
      try {
        get(app, "/hello?name=alice");
        // The start-up segment comes too: the request's is the one with the /hello URL.
        JsonNode segment = daemon.receive(2, Duration.ofSeconds(10)).stream()
            .filter(document -> document.at("/http/request/url").asText().contains("/hello"))
            .findFirst().orElseThrow();
        String w3cTraceId = TraceId.parse(segment.get("trace_id").asText()).toW3C();
        String segmentId = segment.get("id").asText();

        List<String> lines = linesWith(file, "greeting alice");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("[accounts," + w3cTraceId + "," + segmentId + "] ");
        // Outside a request: the block is there, empty, as Spring Boot writes it without a trace.
        org.slf4j.LoggerFactory.getLogger(LogsApplication.class).info("outside any request");
        assertThat(linesWith(file, "outside any request")).singleElement().asString().contains("[accounts,,] ");
      } finally {
        TestApplications.stop(app);
      }
    }
  }

  @Test
  void logCorrelationFalseLeavesThePatternsAlone() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon()) {
      Path file = logs.resolve("quiet.log");
      ConfigurableApplicationContext app = start(daemon, file, "radiograph.log-correlation=false");
      try {
        get(app, "/hello?name=bob");
        assertThat(daemon.receive(2, Duration.ofSeconds(10))).isNotEmpty();
        assertThat(linesWith(file, "greeting bob")).singleElement().asString().doesNotContain("[accounts,");
      } finally {
        TestApplications.stop(app);
      }
    }
  }

  private static ConfigurableApplicationContext start(UdpDaemon daemon, Path logFile, String... more) {
    String[] args = {
      "spring.application.name=accounts",
      "radiograph.daemon-address=" + daemon.address(),
      "radiograph.sampling=false",
      "logging.file.name=" + logFile,
      "logging.level.dev.radiograph.spring.logs=INFO",
    };
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
        .toArray(String[]::new);
    return TestApplications.start(LogsApplication.class, Map.of(), all);
  }

  private static void get(ConfigurableApplicationContext app, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestApplications.port(app) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static List<String> linesWith(Path file, String text) throws IOException {
    return Files.readAllLines(file).stream().filter(line -> line.contains(text)).collect(Collectors.toList());
  }
}
