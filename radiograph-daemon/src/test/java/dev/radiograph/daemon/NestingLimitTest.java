package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import dev.radiograph.daemon.json.Json;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK and the daemon agree on one nesting limit, {@link Json#MAX_DEPTH} (radiograph-core's
 * {@code JsonWriter.MAX_DEPTH}): a document the SDK writes exactly that deep travels over real UDP
 * as one document, is stored and comes back whole from BatchGetTraces; one level deeper, the SDK
 * sends the subtree as a document of its own, the daemon stores both and BatchGetTraces returns
 * both, each within the limit, with every subsegment. A hand-made datagram past the limit is
 * counted as malformed, the daemon goes on.
 */
class NestingLimitTest {
  // Jackson's own default (1000) is above the limit; said here so the test reads any depth it meets.
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build());
  }

  private static Daemon daemon;
  private static Recorder recorder;

  @BeforeAll
  static void start() throws Exception {
    daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
    recorder = Recorder.builder().daemonAddress("127.0.0.1:" + daemon.udpPort()).sampling(false)
        .environment(Map.of()).systemProperties(new Properties())
        .streamingThreshold(100_000) // one tree, so that only depth decides how it is sent
        .build();
  }

  @AfterAll
  static void stop() {
    recorder.close();
    daemon.close();
  }

  /**
   * A segment with subsegments nested {@code levels} deep, the deepest carrying one annotation.
   * The segment's object is at depth 1, each subsegment two below its parent (its object in the
   * "subsegments" array), and the annotations object one below the deepest: 2 * levels + 2.
   */
  private static Segment nested(int levels) {
    Segment segment = recorder.beginSegment("nested");
    for (int i = 0; i < levels; i++) {
      recorder.beginSubsegment("level-" + (i + 1));
    }
    recorder.currentSubsegment().putAnnotation("deepest", levels);
    for (int i = 0; i < levels; i++) {
      recorder.endSubsegment();
    }
    recorder.endSegment();
    return segment;
  }

  private static JsonNode batchGetTraces(String traceId) throws Exception {
    return JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[\"" + traceId + "\"]}"));
  }

  @Test
  void aDocumentAtTheLimitIsOneDocumentStoredAndReturnedWhole() throws Exception {
    int levels = (Json.MAX_DEPTH - 2) / 2;
    long before = daemon.store().stats().accepted();
    long malformed = daemon.store().stats().rejectedMalformed();
    Segment segment = nested(levels);
    recorder.flush(Duration.ofSeconds(5));
    assertThat(daemon.awaitDocuments((int) before + 1, Duration.ofSeconds(10))).isTrue();

    JsonNode segments = batchGetTraces(segment.traceId().toString()).at("/Traces/0/Segments");
    assertThat(segments).as("sent and returned as one document").hasSize(1);
    JsonNode document = JSON.readTree(segments.get(0).get("Document").asText());
    assertThat(depth(document)).isEqualTo(Json.MAX_DEPTH);
    assertThat(entities(document)).hasSize(1 + levels);
    assertThat(daemon.store().stats().rejectedMalformed()).isEqualTo(malformed);
  }

  @Test
  void oneLevelPastTheLimitIsSplitByTheSdkAndReturnedInPiecesWithinIt() throws Exception {
    int levels = (Json.MAX_DEPTH - 2) / 2 + 1;
    long before = daemon.store().stats().accepted();
    long malformed = daemon.store().stats().rejectedMalformed();
    Segment segment = nested(levels);
    recorder.flush(Duration.ofSeconds(5));
    assertThat(daemon.awaitDocuments((int) before + 2, Duration.ofSeconds(10))).isTrue();

    JsonNode segments = batchGetTraces(segment.traceId().toString()).at("/Traces/0/Segments");
    assertThat(segments).as("the segment, and its first subsegment's tree sent on its own").hasSize(2);
    List<String> names = new ArrayList<>();
    for (JsonNode s : segments) {
      JsonNode document = JSON.readTree(s.get("Document").asText());
      assertThat(depth(document)).isLessThanOrEqualTo(Json.MAX_DEPTH);
      names.addAll(entities(document));
    }
    assertThat(names).hasSize(1 + levels).contains("nested", "level-1", "level-" + levels);
    assertThat(daemon.store().stats().rejectedMalformed()).isEqualTo(malformed);
  }

  @Test
  void aHandMadeDatagramPastTheLimitIsCountedAsMalformed() throws Exception {
    long malformed = daemon.store().stats().rejectedMalformed();
    String document = "{\"name\":\"deep\",\"id\":\"70de5b6f19ff9a0c\",\"trace_id\":\"1-5759e988-bd862e3fe1be46a994272795\","
        + "\"start_time\":1465510280.5,\"end_time\":1465510280.75,\"metadata\":{\"default\":"
        + "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1) + "}}";
    byte[] datagram = ("{\"format\":\"json\",\"version\":1}\n" + document).getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), daemon.udpPort()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (daemon.store().stats().rejectedMalformed() == malformed && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(daemon.store().stats().rejectedMalformed()).isEqualTo(malformed + 1);
    assertThat(DaemonApiTestSupport.get(daemon, "/radiograph/stats")).contains("\"accepted\"");
  }

  /** The depth of the deepest object or array, the document's own object being 1. */
  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }

  private static List<String> entities(JsonNode entity) {
    List<String> names = new ArrayList<>();
    names.add(entity.get("name").asText());
    for (JsonNode sub : entity.path("subsegments")) {
      names.addAll(entities(sub));
    }
    return names;
  }
}
