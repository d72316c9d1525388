package dev.radiograph.benchmarks;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A stand-in for the X-Ray daemon: a real UDP socket on 127.0.0.1 (random port) that a daemon
 * thread drains, receiving and discarding every datagram so that the socket buffer never fills
 * and senders never see back-pressure. Counts what it received, for the teardown summary.
 *
 * <p>It receives through a {@link DatagramChannel} into one direct buffer: the JDK caches the
 * sender's address, so draining allocates next to nothing and does not blur the peers' B/op
 * (JMH's gc profiler counts every thread of the VM).
 */
final class DiscardingUdpDaemon implements AutoCloseable {
  private final DatagramChannel channel;
  private final Thread drainer;
  private volatile long datagrams;
  private volatile long bytes;

  DiscardingUdpDaemon() throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    drainer = new Thread(this::drain, "discarding-udp-daemon");
    drainer.setDaemon(true);
    drainer.start();
  }

  /** The port it listens on, on 127.0.0.1. */
  int port() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port();
  }

  /** {@code daemon received N datagrams, B bytes}: for a benchmark's teardown summary. */
  String received() {
    return "daemon received " + datagrams + " datagrams, " + bytes + " bytes";
  }

  /**
   * Fails unless at least {@code count} datagrams arrive within two seconds: proof, at a
   * benchmark's setup, that what it measures is really traced and sending.
   */
  void expectDatagrams(long count, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (datagrams < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(what + ": the daemon received " + datagrams + " datagrams, expected at least "
            + count + "; is tracing on?");
      }
      Thread.sleep(5);
    }
  }

  private void drain() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024 + 1024);
    long count = 0;
    long total = 0;
    try {
      while (true) {
        buffer.clear();
        if (channel.receive(buffer) != null) {
          count++;
          total += buffer.position();
          datagrams = count; // single writer
          bytes = total;
        }
      }
    } catch (ClosedChannelException e) {
      // close() was called: done.
    } catch (IOException e) {
      System.err.println("discarding-udp-daemon stopped: " + e);
    }
  }

  /**
   * A UDP port on 127.0.0.1 that nothing listens on: bound, read, and released. (Another process
   * could take it in between; on a benchmark machine that is unlikely and harmless.)
   */
  static int closedPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    try {
      drainer.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs on its own, as the daemon does beside a service: prints its port, then drains until
   * killed. {@code wrk.sh} uses it so that receiving costs the server's process nothing.
   */
  public static void main(String[] args) throws Exception {
    DiscardingUdpDaemon daemon = new DiscardingUdpDaemon();
    System.out.println(daemon.port());
    System.out.flush();
    daemon.drainer.join();
  }
}
