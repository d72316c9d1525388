package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** With no daemon to talk to, traced code runs as if untraced: nothing is thrown. */
class UnreachableDaemonTest {

  private static void tracedWork(Recorder recorder) {
    for (int i = 0; i < 50; i++) {
      recorder.beginSegment("request");
      recorder.trace("db", () -> recorder.currentSubsegment().putAnnotation("i", 1));
      recorder.endSegment();
    }
  }

  private static Recorder recorderFor(String address) {
    return Recorder.builder()
        .daemonAddress(address)
        .environment(Map.of())
        .systemProperties(new Properties())
        .sampling(false)
        .build();
  }

  @Test
  void closedPort() throws Exception {
    int port;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      port = socket.getLocalPort();
    }
    try (Recorder recorder = recorderFor("127.0.0.1:" + port)) {
      tracedWork(recorder);
      assertThat(recorder.flush(Duration.ofSeconds(5))).isTrue();
      // UDP to a closed port is not an error for the sender: the documents were handed over.
      assertThat(recorder.emitterStats().sent() + recorder.emitterStats().failed()).isEqualTo(50);
    }
  }

  @Test
  void unresolvableHost() {
    try (Recorder recorder = recorderFor("radiograph-no-such-host.invalid:2000")) {
      tracedWork(recorder);
      assertThat(recorder.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(recorder.emitterStats().failed()).isEqualTo(50);
      assertThat(recorder.emitterStats().sent()).isZero();
    }
  }

  @Test
  void fullQueueDropsAndCountsInsteadOfGrowing() {
    // An emitter whose queue holds one document, behind an unresolvable host: the rest is dropped.
    dev.radiograph.emit.Emitter emitter = dev.radiograph.emit.Emitter.udp(
        "radiograph-no-such-host.invalid:2000", 1, 1 << 20);
    try (Recorder recorder = Recorder.builder()
        .emitter(emitter)
        .environment(Map.of())
        .systemProperties(new Properties())
        .sampling(false)
        .build()) {
      for (int i = 0; i < 500; i++) {
        recorder.beginSegment("r");
        recorder.endSegment();
      }
      recorder.flush(Duration.ofSeconds(30));
      var stats = recorder.emitterStats();
      assertThat(stats.dropped() + stats.failed()).isEqualTo(500);
      assertThat(stats.dropped()).isPositive();
    }
  }
}
