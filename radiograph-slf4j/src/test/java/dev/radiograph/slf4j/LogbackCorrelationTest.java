package dev.radiograph.slf4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.PooledRequests;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.Subsegment;
import dev.radiograph.TraceId;
import dev.radiograph.UdpDaemon;
import dev.radiograph.config.SettingKey;
import dev.radiograph.context.ContextSnapshot;
import dev.radiograph.context.LogCorrelationKeys;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Real Logback writing to a file; a recorder sending to a real UDP socket. Every line written
 * while a request is handled must carry exactly the ids of the documents that reached the socket.
 */
class LogbackCorrelationTest {
  static final Logger LOG = LoggerFactory.getLogger("correlation");
  static final Duration WAIT = Duration.ofSeconds(20);

  static Path file;

  UdpDaemon daemon;
  String tag;

  @BeforeAll
  static synchronized void configureLogbackOnce() throws Exception {
    if (file != null) {
      return;
    }
    Path logs = Files.createTempDirectory("radiograph-slf4j-logs");
    file = logs.resolve("correlation.log");
    System.setProperty("radiograph.test.log", file.toString());
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackCorrelationTest.class.getResource("/logback-correlation.xml"));
  }

  @BeforeEach
  void start(TestInfo test) throws Exception {
    daemon = new UdpDaemon();
    tag = test.getTestMethod().orElseThrow().getName();
    MDC.put("app", "kept");
  }

  @AfterEach
  void stop() {
    daemon.close();
    MDC.clear();
  }

  void log(String label) {
    LOG.info("{} {}", tag, label);
  }

  List<LogLine> lines() throws Exception {
    return LogLine.read(file, tag);
  }

  @Test
  void linesCarryTheSegmentsIdsAndInsideASubsegmentItsId() throws Exception {
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      log("before");
      Segment segment = recorder.beginSegment("orders");
      log("segment");
      Subsegment db = recorder.beginSubsegment("db");
      log("db");
      recorder.endSubsegment();
      log("segment-again");
      recorder.endSegment();
      log("after");
      assertThat(segment.isInProgress()).isFalse();
      assertThat(db.isInProgress()).isFalse();
    }
    JsonNode document = daemon.receiveOne(WAIT);
    String traceId = document.get("trace_id").asText();
    String segmentId = document.get("id").asText();
    String dbId = UdpDaemon.subsegments(document).get(0).get("id").asText();
    String w3c = TraceId.parse(traceId).toW3C();

    List<LogLine> lines = lines();
    assertThat(lines).extracting(LogLine::label)
        .containsExactly("before", "segment", "db", "segment-again", "after");
    assertThat(lines).allSatisfy(line -> assertThat(line.app()).isEqualTo("kept"));
    assertThat(lines.get(0).hasNoTraceKey()).isTrue();
    assertThat(lines.get(4).hasNoTraceKey()).isTrue();
    assertCarries(lines.get(1), traceId, segmentId);
    assertCarries(lines.get(2), traceId, dbId);
    assertCarries(lines.get(3), traceId, segmentId);
    assertThat(lines.get(1).traceId()).isEqualTo(w3c).hasSize(32);
    assertThat(lines.get(1).xray()).isEqualTo(traceId + "@" + segmentId);
    assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys("app");
  }

  @Test
  void unsampledRequestsCarryTheirIdsToo() throws Exception {
    try (Recorder recorder = daemon.recorderBuilder().sampler(dev.radiograph.sampling.Sampler.neverSample()).build()) {
      Segment segment = recorder.beginSegment("orders");
      log("unsampled");
      recorder.endSegment();
      log("after");
      assertCarries(lines().get(0), segment.traceId().toString(), segment.id());
      assertThat(lines().get(1).hasNoTraceKey()).isTrue();
    }
  }

  @Test
  void followsTheRequestAcrossExecutorHopsAndLeavesThePoolThreadClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      ExecutorService traced = TracedExecutors.wrap(pool, recorder);
      recorder.beginSegment("orders");
      traced.submit(() -> log("traced-executor")).get(5, TimeUnit.SECONDS);
      ContextSnapshot snapshot = recorder.captureContext();
      recorder.beginSubsegment("inside");
      pool.submit(snapshot.wrap(() -> {
        log("snapshot");
        recorder.trace("hop-sub", () -> log("hop-sub"));
        log("snapshot-again");
      })).get(5, TimeUnit.SECONDS);
      recorder.endSubsegment();
      recorder.endSegment();
      pool.submit(() -> log("pool-idle")).get(5, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    JsonNode document = daemon.receiveOne(WAIT);
    String traceId = document.get("trace_id").asText();
    String segmentId = document.get("id").asText();
    Map<String, String> ids = subsegmentIds(document);
    List<LogLine> lines = lines();
    assertThat(lines).extracting(LogLine::label)
        .containsExactly("traced-executor", "snapshot", "hop-sub", "snapshot-again", "pool-idle");
    assertCarries(lines.get(0), traceId, segmentId);
    assertCarries(lines.get(1), traceId, segmentId);
    assertCarries(lines.get(2), traceId, ids.get("hop-sub"));
    assertCarries(lines.get(3), traceId, segmentId);
    assertThat(lines.get(4).hasNoTraceKey()).isTrue();
    assertThat(lines.get(4).app()).isEqualTo("-"); // the pool thread's MDC: the application set nothing there
  }

  @Test
  void followsTheRequestOntoVirtualThreads() throws Exception {
    assumeTrue(TracedExecutors.virtualThreadsAvailable(), "virtual threads need Java 21+");
    try (Recorder recorder = daemon.recorderBuilder().tracingName("orders").build()) {
      ExecutorService virtual = TracedExecutors.newVirtualThreadPerTaskExecutor(recorder);
      recorder.beginSegment("orders");
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "virtual-" + i;
        work.add(virtual.submit(() -> recorder.trace(name, () -> log(name))));
      }
      for (Future<?> future : work) {
        future.get(10, TimeUnit.SECONDS);
      }
      recorder.endSegment();
      virtual.shutdown();
    }
    JsonNode document = daemon.receiveOne(WAIT);
    Map<String, String> ids = subsegmentIds(document);
    List<LogLine> lines = lines();
    assertThat(lines).hasSize(20);
    for (LogLine line : lines) {
      assertCarries(line, document.get("trace_id").asText(), ids.get(line.label()));
    }
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
        recorder.trace("db", () -> log("db-" + n));
        log("end-" + n);
        recorder.endSegment();
      });
    }
    List<JsonNode> documents = daemon.receive(requests, WAIT);
    assertThat(documents).hasSize(requests);
    Map<String, JsonNode> byRequest = new HashMap<>();
    for (JsonNode document : documents) {
      byRequest.put(document.get("annotations").get("n").asText(), document);
    }
    List<LogLine> lines = lines();
    assertThat(lines).hasSize(4 * requests);
    List<LogLine> wrong = new ArrayList<>();
    for (LogLine line : lines) {
      String[] kindAndRequest = line.label().split("-");
      JsonNode document = byRequest.get(kindAndRequest[1]);
      String expectedSpan = switch (kindAndRequest[0]) {
        case "idle" -> null;
        case "db" -> UdpDaemon.subsegments(document).get(0).get("id").asText();
        default -> document.get("id").asText();
      };
      boolean right = expectedSpan == null ? line.hasNoTraceKey()
          : carries(line, document.get("trace_id").asText(), expectedSpan);
      if (!right) {
        wrong.add(line);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void keysCanBeRenamedAndRemoved() throws Exception {
    LogCorrelationKeys keys = LogCorrelationKeys.builder().xrayTraceIdKey(null).traceIdKey(null).spanIdKey("span").build();
    try (Recorder recorder = daemon.recorderBuilder().listener(Slf4jLogCorrelation.withKeys(keys)).build()) {
      Segment segment = recorder.beginSegment("orders");
      log("renamed");
      recorder.endSegment();
      log("after");
      LogLine line = lines().get(0);
      assertThat(line.hasNoTraceKey()).isTrue(); // the listener in code replaced the class path's
      assertThat(line.span()).isEqualTo(segment.id());
      assertThat(lines().get(1).span()).isEqualTo("-");
    }
  }

  @Test
  void logCorrelationFalseLeavesTheMdcUntouched() throws Exception {
    try (Recorder recorder = daemon.recorderBuilder().setting(SettingKey.LOG_CORRELATION, "false").build()) {
      recorder.beginSegment("orders");
      log("off");
      assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys("app");
      recorder.endSegment();
    }
    assertThat(lines().get(0).hasNoTraceKey()).isTrue();
  }

  static Map<String, String> subsegmentIds(JsonNode entity) {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode sub : UdpDaemon.subsegments(entity)) {
      ids.put(sub.get("name").asText(), sub.get("id").asText());
      ids.putAll(subsegmentIds(sub));
    }
    return ids;
  }

  static boolean carries(LogLine line, String xrayTraceId, String entityId) {
    return line.xray().equals(xrayTraceId + "@" + entityId)
        && line.traceId().equals(TraceId.parse(xrayTraceId).toW3C())
        && line.spanId().equals(entityId);
  }

  static void assertCarries(LogLine line, String xrayTraceId, String entityId) {
    assertThat(entityId).isNotNull();
    assertThat(carries(line, xrayTraceId, entityId)).as("%s carries %s@%s", line, xrayTraceId, entityId).isTrue();
  }
}
