package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real UDP socket on 127.0.0.1 that stands in for the X-Ray daemon in tests: it receives what
 * a recorder emits, checks the datagram framing, and parses each document with Jackson. Shared
 * with the other modules' tests through radiograph-core's test jar.
 */
public final class UdpDaemon implements AutoCloseable {
  public static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final DatagramSocket socket;
  private final List<byte[]> datagrams = new ArrayList<>();

  public UdpDaemon() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    socket.setReceiveBufferSize(8 * 1024 * 1024);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** A recorder that sends here, isolated from this machine's environment and properties. */
  public RecorderBuilder recorderBuilder() {
    return Recorder.builder()
        .daemonAddress(address())
        .environment(Map.of())
        .systemProperties(new Properties())
        .sampling(false);
  }

  /** Receives datagrams until {@code count} documents have arrived or the timeout passes. */
  public List<JsonNode> receive(int count, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buffer = new byte[70_000];
    while (datagrams.size() < count && System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      }
      byte[] copy = new byte[packet.getLength()];
      System.arraycopy(packet.getData(), packet.getOffset(), copy, 0, packet.getLength());
      datagrams.add(copy);
    }
    return documents();
  }

  /** Receives the one document a test expects (asserting that exactly one arrived) and returns it. */
  public JsonNode receiveOne(Duration timeout) throws IOException {
    List<JsonNode> documents = receive(1, timeout);
    assertThat(documents).hasSize(1);
    return documents.get(0);
  }

  /** The subsegments embedded in a received entity, in order (none: an empty list). */
  public static List<JsonNode> subsegments(JsonNode entity) {
    List<JsonNode> subsegments = new ArrayList<>();
    entity.path("subsegments").forEach(subsegments::add);
    return subsegments;
  }

  /** Receives for a while and returns everything, for tests that expect nothing more. */
  public List<JsonNode> receiveAll(Duration quietFor) throws IOException {
    return receive(Integer.MAX_VALUE, quietFor);
  }

  /** Every datagram so far, checked for framing and size and parsed. */
  public List<JsonNode> documents() throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    for (byte[] datagram : datagrams) {
      assertThat(datagram.length).as("datagram size").isLessThanOrEqualTo(65_507);
      String text = new String(datagram, StandardCharsets.UTF_8);
      assertThat(text).startsWith(HEADER);
      documents.add(JSON.readTree(text.substring(HEADER.length())));
    }
    return documents;
  }

  public List<byte[]> rawDatagrams() {
    return datagrams;
  }

  @Override
  public void close() {
    socket.close();
  }
}
