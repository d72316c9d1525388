package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a document may be, over UDP and PutTraceSegments: at most 64 KB counted in UTF-8 bytes,
 * finite times, a complete copy never replaced by a late in-progress one; and a trace past its
 * cap is marked {@code LimitExceeded}.
 */
class DocumentLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

  private static String doc(int trace, int id, String times, String extra) {
    return String.format(Locale.ROOT, "{\"name\":\"svc\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\",%s%s}",
        id, trace, times, extra);
  }

  private static JsonNode put(Daemon daemon, String... documents) throws Exception {
    return JSON.readTree(DaemonApiTestSupport.post(daemon, "/TraceSegments",
        JSON.writeValueAsString(Map.of("TraceSegmentDocuments", List.of(documents)))));
  }

  private static JsonNode stats(Daemon daemon) throws Exception {
    return JSON.readTree(DaemonApiTestSupport.get(daemon, "/radiograph/stats"));
  }

  private static void send(Daemon daemon, String document) throws Exception {
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.send(ByteBuffer.wrap((HEADER + document).getBytes(StandardCharsets.UTF_8)),
          new InetSocketAddress("127.0.0.1", daemon.udpPort()));
    }
  }

  @Test
  void theSixtyFourKilobyteLimitCountsUtf8Bytes() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      String times = "\"start_time\":1000,\"end_time\":1001";
      // 40,000 chars, 80,000 bytes: over the limit, though fewer chars than 64 KB.
      String over = doc(1, 1, times, ",\"metadata\":{\"default\":{\"note\":\"" + "\u00e9".repeat(40_000) + "\"}}");
      // 20,000 three-byte chars, 60,000 bytes: within it, and within one datagram.
      String within = doc(2, 2, times, ",\"metadata\":{\"default\":{\"note\":\"" + "\u20ac".repeat(20_000) + "\"}}");
      JsonNode result = put(daemon, over, within);
      assertThat(result.at("/UnprocessedTraceSegments")).hasSize(1);
      assertThat(result.at("/UnprocessedTraceSegments/0/ErrorCode").asText()).isEqualTo("DocumentTooLarge");
      send(daemon, doc(3, 3, times, ",\"metadata\":{\"default\":{\"note\":\"" + "\u20ac".repeat(20_000) + "\"}}"));
      assertThat(daemon.awaitDocuments(2, Duration.ofSeconds(10))).isTrue();
      JsonNode counts = stats(daemon);
      assertThat(counts.get("rejectedOversize").asLong()).isEqualTo(1);
      assertThat(counts.get("accepted").asLong()).isEqualTo(2);
      JsonNode traces = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces",
          "{\"TraceIds\":[\"1-5759e988-000000000000000000000003\"]}"));
      assertThat(JSON.readTree(traces.at("/Traces/0/Segments/0/Document").asText()).at("/metadata/default/note").asText())
          .isEqualTo("\u20ac".repeat(20_000));
    }
  }

  @Test
  void nonFiniteTimesAreRejectedAndCounted() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      JsonNode result = put(daemon, doc(1, 1, "\"start_time\":1e999,\"end_time\":1001", ""),
          doc(2, 2, "\"start_time\":1000,\"end_time\":1001", ""));
      assertThat(result.at("/UnprocessedTraceSegments")).hasSize(1);
      assertThat(result.at("/UnprocessedTraceSegments/0/Message").asText()).contains("start_time").contains("finite");
      send(daemon, doc(3, 3, "\"start_time\":1000,\"end_time\":-1e999", ""));
      send(daemon, doc(4, 4, "\"start_time\":1000,\"end_time\":1001", ""));
      assertThat(daemon.awaitDocuments(2, Duration.ofSeconds(10))).isTrue();
      for (int i = 0; i < 100 && stats(daemon).get("rejectedNonFinite").asLong() < 2; i++) {
        Thread.sleep(20); // the UDP one is counted by the ingest thread
      }
      JsonNode counts = stats(daemon);
      assertThat(counts.get("rejectedNonFinite").asLong()).isEqualTo(2);
      assertThat(counts.get("rejectedMalformed").asLong()).isZero();
      assertThat(counts.get("storedTraces").asLong()).isEqualTo(2);
    }
  }

  @Test
  void aLateInProgressCopyDoesNotReplaceTheCompleteDocument() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build())) {
      put(daemon, doc(1, 1, "\"start_time\":1000,\"end_time\":1001", ""));
      put(daemon, doc(1, 1, "\"start_time\":1000,\"in_progress\":true", ""));
      JsonNode traces = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces",
          "{\"TraceIds\":[\"1-5759e988-000000000000000000000001\"]}"));
      JsonNode stored = JSON.readTree(traces.at("/Traces/0/Segments/0/Document").asText());
      assertThat(stored.get("end_time").asDouble()).isEqualTo(1001);
      assertThat(stored.has("in_progress")).isFalse();
    }
  }

  @Test
  void aTracePastItsCapIsMarkedLimitExceeded() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0")
        .maxTraceDocuments(5).build())) {
      String[] documents = new String[8];
      for (int i = 0; i < documents.length; i++) {
        documents[i] = doc(1, i + 1, "\"start_time\":" + (1000 + i) + ",\"end_time\":1010", "");
      }
      assertThat(put(daemon, documents).at("/UnprocessedTraceSegments")).isEmpty();
      JsonNode traces = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces",
          "{\"TraceIds\":[\"1-5759e988-000000000000000000000001\"]}"));
      assertThat(traces.at("/Traces/0/LimitExceeded").asBoolean()).isTrue();
      assertThat(traces.at("/Traces/0/Segments")).hasSize(5);
      JsonNode summaries = JSON.readTree(DaemonApiTestSupport.post(daemon, "/TraceSummaries",
          "{\"StartTime\":900,\"EndTime\":1100}"));
      assertThat(summaries.at("/TraceSummaries/0/LimitExceeded").asBoolean()).isTrue();
      JsonNode counts = stats(daemon);
      assertThat(counts.get("truncatedTraces").asLong()).isEqualTo(1);
      assertThat(counts.get("truncatedDocuments").asLong()).isEqualTo(3);
      assertThat(counts.get("accepted").asLong()).isEqualTo(8);
    }
  }
}
