package dev.radiograph.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.daemon.store.StoreStats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and truncated datagrams are rejected and counted; the good ones among them are kept. */
class BadDatagramsTest {
  private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

  private static String goodDocument(int n) {
    double now = System.currentTimeMillis() / 1000.0;
    return String.format("{\"name\":\"good-%d\",\"id\":\"%016x\",\"trace_id\":\"1-%08x-%024x\",\"start_time\":%.6f,"
        + "\"end_time\":%.6f,\"annotations\":{\"n\":%d}}", n, 0x1000L + n, (long) now, 0xABCL + n, now, now + 0.01, n);
  }

  @Test
  void hundredThousandBadDatagramsAreCountedAndTheGoodOnesStored() throws Exception {
    try (Daemon daemon = Daemon.start(DaemonConfig.builder().udp("127.0.0.1:0").http("127.0.0.1:0").build());
        DatagramSocket socket = new DatagramSocket()) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), daemon.udpPort());
      Random random = new Random(5);
      int bad = 100_000;
      int good = 0;
      for (int i = 0; i < bad; i++) {
        byte[] payload;
        switch (i % 5) {
          case 0 -> { // random bytes
            payload = new byte[random.nextInt(200)];
            random.nextBytes(payload);
          }
          case 1 -> { // a good datagram cut short
            byte[] whole = (HEADER + goodDocument(i)).getBytes(StandardCharsets.UTF_8);
            payload = java.util.Arrays.copyOf(whole, HEADER.length() + random.nextInt(whole.length - HEADER.length() - 1));
          }
          case 2 -> payload = goodDocument(i).getBytes(StandardCharsets.UTF_8); // no header
          case 3 -> payload = (HEADER + "{\"name\":\"x\",\"id\":\"zz\",\"trace_id\":\"1-2-3\",\"start_time\":\"now\"}")
              .getBytes(StandardCharsets.UTF_8); // valid JSON, not a valid document
          default -> payload = (HEADER + "[".repeat(random.nextInt(5000))).getBytes(StandardCharsets.UTF_8); // deep nesting
        }
        socket.send(new DatagramPacket(payload, payload.length, target));
        if (i % 1000 == 0) {
          byte[] ok = (HEADER + goodDocument(good++)).getBytes(StandardCharsets.UTF_8);
          socket.send(new DatagramPacket(ok, ok.length, target));
        }
        if (i % 250 == 0) {
          Thread.sleep(1); // let the receiver keep up: this test is about bad input, not load
        }
      }
      assertThat(daemon.awaitDocuments(good, Duration.ofSeconds(20))).isTrue();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      StoreStats stats = daemon.store().stats();
      while (stats.received() < bad + good && System.nanoTime() < deadline) {
        Thread.sleep(50);
        stats = daemon.store().stats();
      }
      assertThat(stats.accepted()).isEqualTo(good);
      assertThat(stats.rejectedMalformed()).isEqualTo(bad);
      assertThat(stats.storedTraces()).isEqualTo(good);
      // Still up and answering.
      assertThat(DaemonApiTestSupport.post(daemon, "/Traces", "{\"TraceIds\":[]}")).contains("Traces");
    }
  }
}
