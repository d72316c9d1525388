package dev.radiograph.daemon;

import static dev.radiograph.daemon.DaemonApiTestSupport.entities;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiograph.Recorder;
import dev.radiograph.Segment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A segment streamed in many documents comes back from BatchGetTraces as one assembled tree. */
class StreamedTraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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
      assertThat(entities(doc)).isEqualTo(1 + 600);
    }
  }

  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
  private static final String LONG_TRACE = "1-5759e988-00000000000000000000beef";

  /** The documents of the stream: a long job's 40,000 subsegments, and other traces arriving meanwhile. */
  private static byte[] streamed(int i) {
    String doc = i % 21 == 20
        ? String.format(Locale.ROOT, "{\"name\":\"other\",\"id\":\"%016x\",\"trace_id\":\"1-5759e988-%024x\","
            + "\"start_time\":1000.5,\"end_time\":1000.6}", 0x2000_0000L + i, i)
        : String.format(Locale.ROOT, "{\"name\":\"step-%d\",\"id\":\"%016x\",\"trace_id\":\"%s\","
            + "\"start_time\":%.4f,\"end_time\":%.4f,\"type\":\"subsegment\",\"parent_id\":\"00000000000000aa\"}",
            i, 0x1000_0000L + i, LONG_TRACE, 1000 + i * 1e-4, 1000 + i * 1e-4 + 5e-5);
    return (HEADER + doc).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFortyThousandSubsegmentTraceIsReadWhileItStreamsAndNothingSentMeanwhileIsDropped() throws Exception {
    int subsegments = 40_000;
    int streamed = 42_000; // every 21st is another trace's
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
        DatagramChannel channel = DatagramChannel.open()) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", daemon.udpPort());
      channel.send(ByteBuffer.wrap((HEADER + "{\"name\":\"job\",\"id\":\"00000000000000aa\",\"trace_id\":\""
          + LONG_TRACE + "\",\"start_time\":1000,\"in_progress\":true}").getBytes(StandardCharsets.UTF_8)), target);
      CountDownLatch queriedMidway = new CountDownLatch(3);
      AtomicReference<Exception> failure = new AtomicReference<>();
      AtomicInteger sent = new AtomicInteger(1); // the job's segment, in progress
      Thread sender = new Thread(() -> {
        try {
          // 20,000 documents a second, in 1 ms slices; halfway, it waits (bounded) until queries
          // have been answered, so that they are answered while the trace is still streaming.
          long start = System.nanoTime();
          for (int i = 0; i < streamed; i++) {
            channel.send(ByteBuffer.wrap(streamed(i)), target);
            sent.incrementAndGet();
            if (i == streamed / 2) {
              queriedMidway.await(60, TimeUnit.SECONDS);
              start = System.nanoTime() - (long) i * 50_000;
            }
            long wait = start + (long) i * 50_000 - System.nanoTime();
            if (i % 20 == 0 && wait > 0) {
              LockSupport.parkNanos(wait);
            }
          }
        } catch (Exception e) {
          failure.set(e);
        }
      }, "streamed-trace-sender");
      sender.start();
      int answeredWhileStreaming = 0;
      for (int i = 0; i < 10_000 && sender.isAlive(); i++) {
        JsonNode trace = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[\"" + LONG_TRACE + "\"]}"));
        JsonNode stats = JSON.readTree(DaemonApiTestSupport.get(daemon, "/radiograph/stats"));
        assertThat(trace.at("/Traces/0/Id").asText()).isEqualTo(LONG_TRACE);
        assertThat(stats.get("droppedOverload").asLong()).isZero();
        if (sender.isAlive()) {
          answeredWhileStreaming++;
          queriedMidway.countDown();
        }
      }
      sender.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(failure.get()).isNull();
      channel.send(ByteBuffer.wrap((HEADER + "{\"name\":\"job\",\"id\":\"00000000000000aa\",\"trace_id\":\""
          + LONG_TRACE + "\",\"start_time\":1000,\"end_time\":1010}").getBytes(StandardCharsets.UTF_8)), target);
      sent.incrementAndGet();
      assertThat(daemon.awaitDocuments(sent.get(), Duration.ofSeconds(60)))
          .as("every document sent is stored: %s", daemon.store().stats()).isTrue();
      assertThat(answeredWhileStreaming).isGreaterThanOrEqualTo(3);
      assertThat(daemon.store().stats().droppedOverload()).isZero();

      JsonNode result = JSON.readTree(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[\"" + LONG_TRACE + "\"]}"));
      JsonNode segments = result.at("/Traces/0/Segments");
      assertThat(segments).hasSize(1);
      JsonNode job = JSON.readTree(segments.get(0).get("Document").asText());
      assertThat(job.get("end_time").asDouble()).isEqualTo(1010);
      assertThat(entities(job)).isEqualTo(1 + subsegments);
      assertThat(daemon.store().stats().storedTraces()).isEqualTo(1 + (streamed - subsegments));
    }
  }
}
