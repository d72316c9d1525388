package dev.radiograph.benchmarks;

import java.io.IOException;

/**
 * One peer of a server benchmark: a {@link HelloServer}, the {@link KeepAliveClient} that calls
 * it once per operation, and, when the server is traced, the recorder it traces with and the
 * {@link DiscardingUdpDaemon} it sends to.
 *
 * <p>{@link #start} proves the setup before anything is measured: the first request must answer
 * 200 and, for a traced server, its document must reach the daemon. {@link #close} stops the
 * server, then flushes and closes the recorder, then the daemon, and prints what was sent.
 * Benchmarks hold it in a {@code Scope.Thread} state: a client is one connection, for one thread
 * (the benchmarks run one).
 */
final class ServerPeer implements AutoCloseable {
  private final String label;
  private final HelloServer server;
  private final KeepAliveClient client;
  private final Runnable closeRecorder; // null when untraced
  private final DiscardingUdpDaemon daemon; // null when untraced
  private long requests;

  private ServerPeer(String label, HelloServer server, Runnable closeRecorder, DiscardingUdpDaemon daemon) {
    this.label = label;
    this.server = server;
    this.client = new KeepAliveClient(server.port(), HelloServer.PATH);
    this.closeRecorder = closeRecorder;
    this.daemon = daemon;
  }

  /** An untraced server. */
  static ServerPeer untraced(String label, HelloServer server) throws Exception {
    return start(label, server, null, null);
  }

  /**
   * A server traced by a recorder that sends to {@code daemon}; {@code closeRecorder} flushes and
   * closes it once the server has stopped.
   */
  static ServerPeer traced(String label, HelloServer server, Runnable closeRecorder, DiscardingUdpDaemon daemon)
      throws Exception {
    return start(label, server, closeRecorder, daemon);
  }

  private static ServerPeer start(String label, HelloServer server, Runnable closeRecorder,
      DiscardingUdpDaemon daemon) throws Exception {
    ServerPeer peer = new ServerPeer(label, server, closeRecorder, daemon);
    try {
      peer.request();
      if (daemon != null) {
        daemon.expectDatagrams(1, label);
      }
      return peer;
    } catch (Exception | Error e) {
      peer.close();
      throw e;
    }
  }

  /** One round trip; fails the run on any status but 200. */
  int request() throws IOException {
    int status = client.get();
    if (status != 200) {
      throw new IllegalStateException(label + ": the server answered " + status);
    }
    requests++;
    return status;
  }

  /** {@code count} pipelined requests ({@link KeepAliveClient#pipelined}); fails the run on any status but 200. */
  int pipelined(int count) throws IOException {
    int ok = client.pipelined(count);
    if (ok != count) {
      throw new IllegalStateException(label + ": " + (count - ok) + " of " + count + " requests were not answered 200");
    }
    requests += count;
    return ok;
  }

  @Override
  public void close() throws IOException {
    client.close();
    try {
      server.close();
    } finally {
      if (closeRecorder != null) {
        closeRecorder.run();
      }
      StringBuilder summary = new StringBuilder("[").append(label).append("] requests=").append(requests)
          .append(", connections=").append(client.connections());
      if (daemon != null) {
        summary.append(", ").append(daemon.received());
        daemon.close();
      }
      System.out.println(summary);
    }
  }
}
