package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiograph.config.SettingKey;
import dev.radiograph.context.TracedExecutors;
import dev.radiograph.sampling.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cases found in review: late children of streamed parents, deep nesting, bounded buffers. */
class ReviewRegressionTest {

  @Test
  void childBegunUnderAStreamedSubsegmentIsSentOnItsOwn() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().streamingThreshold(2).build()) {
      Segment segment = recorder.beginSegment("s");
      Subsegment parent = recorder.beginSubsegment("P");
      recorder.endSubsegment();
      for (int i = 0; i < 3; i++) { // pushes P past the threshold: it is streamed
        recorder.trace("filler", () -> { });
      }
      recorder.setCurrentEntity(parent); // work handed on from inside P, running after P ended
      Subsegment late = recorder.beginSubsegment("G");
      recorder.setCurrentEntity(segment);
      late.close();
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(5));
      TraceTree tree = TraceTree.of(daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(800)));
      List<JsonNode> g = tree.named("G");
      assertThat(g).hasSize(1);
      assertThat(g.get(0).get("end_time").isNumber()).isTrue();
      assertThat(tree.parentOf(g.get(0))).isEqualTo(parent.id());
    }
  }

  @Test
  void deeplyNestedSubsegmentsAreSplitNotDropped() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon(); Recorder recorder = daemon.recorderBuilder().build()) {
      recorder.beginSegment("deep");
      for (int i = 0; i < 200; i++) {
        recorder.beginSubsegment("level-" + i);
      }
      for (int i = 0; i < 200; i++) {
        recorder.endSubsegment();
      }
      recorder.endSegment();
      recorder.flush(Duration.ofSeconds(5));
      TraceTree tree = TraceTree.of(daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(800))).assertNoDuplicates();
      assertThat(tree.byId).hasSize(201);
    }
  }

  @Test
  void refusedBufferedSubsegmentsKeepBeginEndBalanced() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .sampler(Sampler.neverSample())
            .contextMissing(ContextMissingStrategy.RUNTIME_ERROR)
            .setting(SettingKey.CAPTURE_ANOMALIES, "true")
            .build()) {
      recorder.beginSegment("wide");
      Subsegment outer = recorder.beginSubsegment("outer");
      for (int i = 0; i < 150; i++) {
        recorder.beginSubsegment("inner");
        recorder.beginSubsegment("innermost");
        recorder.endSubsegment();
        recorder.endSubsegment(); // past the bound these are refused handles: still balanced
      }
      assertThat(recorder.currentEntity()).isSameAs(outer);
      recorder.endSubsegment();
      recorder.currentSegment().setFault(true);
      recorder.endSegment();
      assertThat(recorder.anomalyCaptureStats().entitiesInFlight()).isZero();
      assertThat(daemon.receive(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void manyThreadsStreamingWhileTheSegmentEndsLoseNothing() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder().streamingThreshold(3).build()) {
      ExecutorService pool = TracedExecutors.wrap(Executors.newFixedThreadPool(8), recorder);
      Segment segment = recorder.beginSegment("race");
      for (int i = 0; i < 400; i++) {
        pool.submit(() -> recorder.trace("task", () -> recorder.trace("child", () -> { })));
      }
      recorder.endSegment(); // while tasks still run
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      recorder.flush(Duration.ofSeconds(5));
      // A task that was still running when the segment's document was written goes out again,
      // complete, on its own: the later document replaces the earlier (X-Ray's rule, and the
      // daemon's). So check the trace as assembled: every entity present, each one complete.
      TraceTree tree = TraceTree.of(daemon.receive(Integer.MAX_VALUE, Duration.ofMillis(1000)));
      assertThat(tree.named("task")).hasSize(400).allSatisfy(t -> assertThat(t.get("end_time").isNumber()).isTrue());
      assertThat(tree.named("child")).hasSize(400).allSatisfy(t -> assertThat(t.get("end_time").isNumber()).isTrue());
      assertThat(tree.byId).containsKey(segment.id()).hasSize(801);
    }
  }
}
