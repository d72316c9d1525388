package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.config.SettingKey;
import dev.radiograph.sampling.Sampler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keep-on-anomaly: unsampled requests are sent only when they fail or are slow. */
class AnomalyCaptureTest {

  @Test
  void aRequestKeptForItsAnomalyCarriesTheSameDetailsAsASampledOne() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .sampler(Sampler.neverSample())
            .setting(SettingKey.CAPTURE_ANOMALIES, "true")
            .build()) {
      dev.radiograph.http.HttpServerTracing.Request request = dev.radiograph.http.HttpServerTracing.begin(recorder,
          dev.radiograph.http.PlainRequest.ADAPTER, new dev.radiograph.http.PlainRequest("POST",
              "http://shop.local/orders", "/orders", "10.0.0.7", java.util.Map.of("Host", "shop.local", "User-Agent", "probe/1")));
      assertThat(request.segment().isSampled()).isFalse();
      assertThat(request.segment().isRecording()).isTrue();
      dev.radiograph.http.HttpClientTracing.Call call = dev.radiograph.http.HttpClientTracing.begin(
          recorder, "GET", java.net.URI.create("http://stock.internal/sku/1"), (k, v) -> { });
      call.end(503, null);
      request.end(502, 3, null);

      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.at("/http/request/method").asText()).isEqualTo("POST");
      assertThat(doc.at("/http/request/url").asText()).isEqualTo("http://shop.local/orders");
      assertThat(doc.at("/http/request/client_ip").asText()).isEqualTo("10.0.0.7");
      assertThat(doc.at("/http/response/status").asInt()).isEqualTo(502);
      assertThat(doc.at("/subsegments/0/namespace").asText()).isEqualTo("remote");
      assertThat(doc.at("/subsegments/0/http/request/url").asText()).isEqualTo("http://stock.internal/sku/1");
    }
  }

  @Test
  void ofAThousandUnsampledRequestsExactlyTheFaultyAndSlowOnesArrive() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .sampler(Sampler.neverSample())
            .setting(SettingKey.CAPTURE_ANOMALIES, "true")
            .setting(SettingKey.ANOMALY_LATENCY_THRESHOLD, "40ms")
            .build()) {
      Set<Integer> expected = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        boolean faulty = i % 100 == 7; // 10 of them
        boolean slow = i % 200 == 13; // 5 of them
        Segment segment = recorder.beginSegment("request");
        segment.putAnnotation("n", i);
        assertThat(segment.isSampled()).isFalse();
        assertThat(segment.traceHeader().sampled()).isEqualTo(TraceHeader.Sampled.NOT_SAMPLED);
        recorder.trace("db", () -> recorder.currentSubsegment().putAnnotation("n", 0));
        if (slow) {
          Thread.sleep(50);
        }
        segment.putHttp("status", faulty ? 500 : 200);
        recorder.endSegment();
        if (faulty || slow) {
          expected.add(i);
        }
      }
      assertThat(expected).hasSize(15);
      recorder.flush(Duration.ofSeconds(5));
      List<JsonNode> docs = daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(1000));
      Set<Integer> received = new HashSet<>();
      for (JsonNode doc : docs) {
        received.add(doc.at("/annotations/n").asInt());
        assertThat(doc.get("end_time").isNumber()).isTrue();
        assertThat(doc.at("/subsegments/0/name").asText()).isEqualTo("db");
      }
      assertThat(received).isEqualTo(expected);
      AnomalyCaptureStats stats = recorder.anomalyCaptureStats();
      assertThat(stats.buffered()).isEqualTo(1000);
      assertThat(stats.kept()).isEqualTo(15);
      assertThat(stats.discarded()).isEqualTo(985);
      assertThat(stats.entitiesInFlight()).isZero();
    }
  }

  @Test
  void bufferedRequestsAreBoundedPerRequest() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .sampler(Sampler.neverSample())
            .setting(SettingKey.CAPTURE_ANOMALIES, "true")
            .build()) {
      Segment segment = recorder.beginSegment("wide");
      for (int i = 0; i < 500; i++) {
        recorder.trace("step", () -> { });
      }
      segment.setFault(true);
      recorder.endSegment();
      JsonNode doc = daemon.receive(1, Duration.ofSeconds(5)).get(0);
      assertThat(doc.get("subsegments")).hasSize(AnomalyCapture.MAX_ENTITIES_PER_REQUEST - 1);
      assertThat(recorder.anomalyCaptureStats().droppedSubsegments()).isEqualTo(500 - 99);
      assertThat(recorder.anomalyCaptureStats().entitiesInFlight()).isZero();
    }
  }
}
