package dev.radiograph.emit;

import dev.radiograph.internal.DaemonAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The emitter reaches the daemon by IPv4, IPv6 and host name, with X-Ray's framing. */
class UdpEmitterTest {

  private static String sendAndReceive(InetAddress bindTo, String addressText) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindTo, 0))) {
      socket.setSoTimeout(5000);
      String address = addressText.replace("PORT", Integer.toString(socket.getLocalPort()));
      UdpEmitter emitter = new UdpEmitter(DaemonAddress.parse(address));
      try {
        assertThat(emitter.send("{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(emitter.flush(Duration.ofSeconds(5))).isTrue();
        DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
        socket.receive(packet);
        assertThat(emitter.stats().sent()).isEqualTo(1);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      } finally {
        emitter.close();
      }
    }
  }

  @Test
  void ipv4() throws IOException {
    assertThat(sendAndReceive(InetAddress.getByName("127.0.0.1"), "127.0.0.1:PORT"))
        .isEqualTo("{\"format\": \"json\", \"version\": 1}\n{\"name\":\"x\"}");
  }

  @Test
  void hostName() throws IOException {
    InetAddress localhost = InetAddress.getByName("localhost");
    assertThat(sendAndReceive(localhost, "localhost:PORT")).endsWith("{\"name\":\"x\"}");
  }

  @Test
  void ipv6() throws IOException {
    InetAddress v6;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      v6 = probe.getLocalAddress();
    } catch (IOException e) {
      v6 = null;
    }
    assumeTrue(v6 != null, "IPv6 loopback not available");
    assertThat(sendAndReceive(InetAddress.getByName("::1"), "[::1]:PORT")).endsWith("{\"name\":\"x\"}");
  }

  @Test
  void twoAddressFormSendsToTheUdpAddress() throws IOException {
    assertThat(sendAndReceive(InetAddress.getByName("127.0.0.1"), "tcp:127.0.0.1:1 udp:127.0.0.1:PORT"))
        .endsWith("{\"name\":\"x\"}");
  }

  @Test
  void aDaemonThatRestartsOnItsPortReceivesAgain() throws Exception {
    int port;
    UdpEmitter emitter;
    try (DatagramSocket first = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      first.setSoTimeout(5000);
      port = first.getLocalPort();
      emitter = new UdpEmitter(DaemonAddress.parse("127.0.0.1:" + port));
      emitter.send("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
      assertThat(emitter.flush(Duration.ofSeconds(5))).isTrue();
      first.receive(new DatagramPacket(new byte[100], 100));
    }
    try {
      // The daemon is gone: the kernel answers "port unreachable", which a connected socket
      // reports on a later write. Nothing is thrown at the caller; the documents are lost.
      for (int i = 0; i < 5; i++) {
        assertThat(emitter.send("{\"gone\":1}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(emitter.flush(Duration.ofSeconds(5))).isTrue();
      }
      try (DatagramSocket second = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port))) {
        second.setSoTimeout(5000);
        for (int i = 0; i < 100; i++) {
          emitter.send(("{\"back\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(emitter.flush(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 100; i++) {
          DatagramPacket packet = new DatagramPacket(new byte[100], 100);
          second.receive(packet);
          assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
              .endsWith("{\"back\":" + i + "}");
        }
      }
    } finally {
      emitter.close();
    }
  }

  @Test
  void closedEmitterDropsWithoutThrowing() {
    UdpEmitter emitter = new UdpEmitter(DaemonAddress.parse("127.0.0.1:9"));
    emitter.close();
    assertThat(emitter.send(new byte[] {'{', '}'})).isFalse();
    assertThat(emitter.stats().dropped()).isEqualTo(1);
  }
}
