package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DisabledAndContextMissingTest {

  @Test
  void disabledSdkSendsNothingAndPassesTheUpstreamTraceThrough() throws Exception {
    try (UdpDaemon daemon = new UdpDaemon();
        Recorder recorder = daemon.recorderBuilder()
            .environment(Map.of("AWS_XRAY_SDK_ENABLED", "false"))
            .build()) {
      assertThat(recorder.isEnabled()).isFalse();
      TraceHeader incoming = TraceHeader.parse(
          "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
      Segment segment = recorder.beginSegment("off", incoming);
      Subsegment sub = recorder.beginSubsegment("call");
      TraceHeader outgoing = sub.traceHeader();
      recorder.endSubsegment();
      recorder.endSegment();
      assertThat(segment.isSampled()).isFalse();
      assertThat(outgoing.root()).isEqualTo(incoming.root());
      assertThat(outgoing.parentId()).isEqualTo("53995c3f42cd8ad8");
      assertThat(outgoing.sampled()).isEqualTo(TraceHeader.Sampled.SAMPLED);
      assertThat(daemon.receiveAll(Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void runtimeErrorStrategyThrows() {
    try (Recorder recorder = isolated().contextMissing(ContextMissingStrategy.RUNTIME_ERROR).build()) {
      assertThatThrownBy(() -> recorder.beginSubsegment("orphan"))
          .isInstanceOf(SegmentNotFoundException.class)
          .hasMessageContaining("beginSubsegment(\"orphan\")");
      assertThatThrownBy(recorder::currentSegment).isInstanceOf(SegmentNotFoundException.class);
      assertThat(recorder.currentEntity()).isNull();
    }
  }

  @Test
  void logErrorStrategyLogsOncePerCallingClassAndReturnsNoOps() {
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger("dev.radiograph");
    logger.addHandler(handler);
    try (Recorder recorder = isolated().build()) {
      // 20 rounds of two untraced calls: within the recorder's budget of stack walks a second.
      for (int i = 0; i < 20; i++) {
        Subsegment sub = recorder.beginSubsegment("orphan");
        sub.putAnnotation("k", "v");
        sub.close();
        recorder.currentSegment().putAnnotation("k", 1);
      }
      new OtherCaller().call(recorder);
      new OtherCaller().call(recorder);
    } finally {
      logger.removeHandler(handler);
    }
    List<String> messages = records.stream()
        .map(LogRecord::getMessage)
        .filter(m -> m.contains("no segment in progress"))
        .toList();
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0)).contains(DisabledAndContextMissingTest.class.getName());
    assertThat(messages.get(1)).contains(OtherCaller.class.getName());
  }

  @Test
  void contextMissingIsSettableByEnvironment() {
    try (Recorder recorder = Recorder.builder()
        .environment(Map.of("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR"))
        .systemProperties(new Properties())
        .contextMissing(ContextMissingStrategy.RUNTIME_ERROR)
        .build()) {
      assertThat(recorder.config().contextMissing()).isEqualTo(ContextMissingStrategy.IGNORE_ERROR);
      recorder.beginSubsegment("fine").close();
    }
  }

  private static RecorderBuilder isolated() {
    return Recorder.builder().environment(Map.of()).systemProperties(new Properties()).daemonAddress("127.0.0.1:9");
  }

  static final class OtherCaller {
    void call(Recorder recorder) {
      recorder.beginSubsegment("elsewhere").close();
    }
  }
}
