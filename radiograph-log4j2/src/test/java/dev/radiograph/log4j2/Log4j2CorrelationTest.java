package dev.radiograph.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.PooledRequests;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.SettingKey;
import dev.radiograph.context.TracedExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real Log4j 2 (no SLF4J) writing to a file; a recorder sending to a real UDP socket. A line is
 * {@code xray traceId spanId app tag label}; an absent key is an empty field.
 */
class Log4j2CorrelationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Path file;
  private static Logger log;

  private UdpDaemon daemon;
  private String tag;

  @BeforeAll
  static void configureLog4j2() throws Exception {
    file = Files.createTempDirectory("radiograph-log4j2-logs").resolve("correlation.log");
    System.setProperty("radiograph.test.log", file.toString());
    Configurator.reconfigure(Log4j2CorrelationTest.class.getResource("/log4j2-correlation.xml").toURI());
    log = LogManager.getLogger("correlation");
  }

  @BeforeEach
  void start(TestInfo test) throws Exception {
    daemon = new UdpDaemon();
    tag = test.getTestMethod().orElseThrow().getName();
    ThreadContext.put("app", "kept");
  }

  @AfterEach
  void stop() {
    daemon.close();
    ThreadContext.clearMap();
  }

  private void log(String label) {
    log.info("{} {}", tag, label);
  }

  /** This test's lines: label to the three ids (empty when absent) and the application's key. */
  private Map<String, List<String>> lines() throws Exception {
    Map<String, List<String>> lines = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split(" ", -1);
      if (parts.length == 6 && parts[4].equals(tag)) {
        lines.put(parts[5], List.of(parts[0], parts[1], parts[2], parts[3]));
      }
    }
    return lines;
  }

  private static List<String> carrying(String xrayTraceId, String entityId, String app) {
    return List.of(xrayTraceId + "@" + entityId, TraceId.parse(xrayTraceId).toW3C(), entityId, app);
  }

  @Test
  void linesCarryTheIdsOfTheDocumentsTheDaemonReceived() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      ExecutorService traced = TracedExecutors.wrap(pool, recorder);
      recorder.beginSegment("orders");
      log("segment");
      recorder.trace("db", () -> log("db"));
      traced.submit(() -> recorder.trace("hop", () -> log("hop"))).get(5, TimeUnit.SECONDS);
      recorder.endSegment();
      log("after");
      pool.submit(() -> log("pool-idle")).get(5, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    JsonNode document = daemon.receiveOne(WAIT);
    String traceId = document.get("trace_id").asText();
    Map<String, String> subsegments = new HashMap<>();
    UdpDaemon.subsegments(document).forEach(s -> subsegments.put(s.get("name").asText(), s.get("id").asText()));
    Map<String, List<String>> lines = lines();
    assertThat(lines.get("segment")).isEqualTo(carrying(traceId, document.get("id").asText(), "kept"));
    assertThat(lines.get("db")).isEqualTo(carrying(traceId, subsegments.get("db"), "kept"));
    assertThat(lines.get("hop")).isEqualTo(carrying(traceId, subsegments.get("hop"), ""));
    assertThat(lines.get("after")).containsExactly("", "", "", "kept");
    assertThat(lines.get("pool-idle")).containsExactly("", "", "", "");
    assertThat(ThreadContext.getImmutableContext()).containsOnlyKeys("app");
  }

  @Test
  void followsTheRequestOntoVirtualThreads() throws Exception {
    assumeTrue(TracedExecutors.virtualThreadsAvailable(), "virtual threads need Java 21+");
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      ExecutorService virtual = TracedExecutors.newVirtualThreadPerTaskExecutor(recorder);
      recorder.beginSegment("orders");
      virtual.submit(() -> recorder.trace("virtual", () -> log("virtual"))).get(10, TimeUnit.SECONDS);
      recorder.endSegment();
      virtual.shutdown();
    }
    JsonNode document = daemon.receiveOne(WAIT);
    String subsegment = UdpDaemon.subsegments(document).get(0).get("id").asText();
    assertThat(lines().get("virtual")).isEqualTo(carrying(document.get("trace_id").asText(), subsegment, ""));
  }

  @Test
  void aThousandRequestsOnAPoolShowNoStaleOrForeignId() throws Exception {
    int requests = 1_000;
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      PooledRequests.run(requests, 4, n -> {
        log("idle-" + n);
        Segment segment = recorder.beginSegment("orders");
        segment.putAnnotation("n", n);
        log("segment-" + n);
        recorder.endSegment();
      });
    }
    List<JsonNode> documents = daemon.receive(requests, WAIT);
    assertThat(documents).hasSize(requests);
    Map<String, List<String>> lines = lines();
    assertThat(lines).hasSize(2 * requests);
    List<String> wrong = new ArrayList<>();
    for (JsonNode document : documents) {
      String n = document.get("annotations").get("n").asText();
      if (!lines.get("segment-" + n).equals(carrying(document.get("trace_id").asText(), document.get("id").asText(), ""))
          || !lines.get("idle-" + n).equals(List.of("", "", "", ""))) {
        wrong.add(n);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void logCorrelationFalseLeavesTheThreadContextUntouched() throws Exception {
    try (Recorder recorder = daemon.recorderBuilder().setting(SettingKey.LOG_CORRELATION, "false").build()) {
      recorder.beginSegment("orders");
      log("off");
      assertThat(ThreadContext.getImmutableContext()).containsOnlyKeys("app");
      recorder.endSegment();
    }
    assertThat(lines().get("off")).containsExactly("", "", "", "kept");
  }
}
