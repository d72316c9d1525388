package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In Lambda, subsegments attach to each invocation's facade segment and no segment is sent. */
class LambdaTest {
  private static final String FIRST = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final String SECOND = "Root=1-5759e989-bd862e3fe1be46a994272794;Parent=63995c3f42cd8ad9;Sampled=1";
  private static final String UNSAMPLED = "Root=1-5759e990-bd862e3fe1be46a994272795;Parent=73995c3f42cd8ad0;Sampled=0";

  @AfterEach
  void clearHeader() {
    System.clearProperty(LambdaFacades.TRACE_HEADER_PROPERTY);
  }

  private static Recorder lambdaRecorder(UdpDaemon daemon) {
    return Recorder.builder()
        .environment(Map.of(
            "AWS_LAMBDA_FUNCTION_NAME", "orders-handler",
            "LAMBDA_TASK_ROOT", "/var/task",
            "AWS_XRAY_DAEMON_ADDRESS", daemon.address(),
            "_X_AMZN_TRACE_ID", FIRST))
        .systemProperties(new Properties())
        .build();
  }

  /** What a handler does: its work in subsegments, no segment of its own. */
  private static void invocation(Recorder recorder, String name) {
    recorder.trace(name, sub -> {
      sub.putAnnotation("invocation", name);
      recorder.trace("dynamodb", () -> { });
    });
  }

  @Test
  void twoInvocationsAttachToTwoFacadesAndNoSegmentIsSent() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon(); Recorder recorder = lambdaRecorder(daemon)) {
      System.setProperty(LambdaFacades.TRACE_HEADER_PROPERTY, FIRST);
      assertThat(recorder.currentSegment().id()).isEqualTo("53995c3f42cd8ad8");
      invocation(recorder, "first");
      System.setProperty(LambdaFacades.TRACE_HEADER_PROPERTY, SECOND);
      assertThat(recorder.currentSegment().id()).isEqualTo("63995c3f42cd8ad9");
      assertThat(recorder.currentSegment().traceId().toString()).isEqualTo("1-5759e989-bd862e3fe1be46a994272794");
      invocation(recorder, "second");
      System.setProperty(LambdaFacades.TRACE_HEADER_PROPERTY, UNSAMPLED);
      invocation(recorder, "unsampled");
      recorder.beginSegment("not-allowed"); // ignored in Lambda
      recorder.endSegment();

      List<JsonNode> docs = daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(800));
      assertThat(docs).hasSize(2).allSatisfy(doc -> assertThat(doc.get("type").asText()).isEqualTo("subsegment"));
      JsonNode first = docs.get(0);
      assertThat(first.get("name").asText()).isEqualTo("first");
      assertThat(first.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
      assertThat(first.get("trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
      assertThat(first.at("/subsegments/0/name").asText()).isEqualTo("dynamodb");
      JsonNode second = docs.get(1);
      assertThat(second.get("parent_id").asText()).isEqualTo("63995c3f42cd8ad9");
      assertThat(second.get("trace_id").asText()).isEqualTo("1-5759e989-bd862e3fe1be46a994272794");
    }
  }

  @Test
  void theEnvironmentHeaderServesWhenThePropertyIsAbsent() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon(); Recorder recorder = lambdaRecorder(daemon)) {
      invocation(recorder, "from-env");
      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.get("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
      // Downstream calls carry the facade's trace and this subsegment as parent.
      System.setProperty(LambdaFacades.TRACE_HEADER_PROPERTY, SECOND);
      Subsegment call = recorder.beginSubsegment("http");
      assertThat(call.traceHeader().toString()).startsWith("Root=1-5759e989-bd862e3fe1be46a994272794;Parent=" + call.id());
      recorder.endSubsegment();
    }
  }
}
