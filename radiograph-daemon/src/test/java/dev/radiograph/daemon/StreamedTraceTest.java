package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A segment streamed in many documents comes back from BatchGetTraces as one assembled tree. */
class StreamedTraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int count(JsonNode entity) {
    int n = 1;
    for (JsonNode sub : entity.path("subsegments")) {
      n += count(sub);
    }
    return n;
  }

  @Test
  void streamedSubsegmentsAreAssembledUnderTheirParents() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
        Recorder recorder = Recorder.builder().daemonAddress("127.0.0.1:" + daemon.udpPort()).sampling(false)
            .environment(Map.of()).systemProperties(new Properties()).streamingThreshold(10).build()) {
      Segment segment = recorder.beginSegment("streamed");
      for (int i = 0; i < 300; i++) {
        recorder.beginSubsegment("sub-" + i);
        recorder.beginSubsegment("child-" + i);
        recorder.endSubsegment();
        recorder.endSubsegment();
      }
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(5));
      assertThat(daemon.awaitDocuments(20, Duration.ofSeconds(10))).isTrue();
      Thread.sleep(200); // the rest of the burst
      JsonNode result = JSON.readTree(DaemonApiTestSupport.post(daemon,
          "/Traces", "{\"TraceIds\":[\"" + segment.traceId() + "\"]}"));
      JsonNode segments = result.at("/Traces/0/Segments");
      assertThat(segments).hasSize(1);
      JsonNode doc = JSON.readTree(segments.get(0).get("Document").asText());
      assertThat(doc.has("type")).isFalse();
      assertThat(count(doc)).isEqualTo(1 + 600);
    }
  }
}
