package dev.radiograph.daemon.ingest;

import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.daemon.log.RateLimitedLogger;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.function.Consumer;

/**
 * Receives X-Ray daemon datagrams: a header line {@code {"format": "json", "version": 1}}, a
 * newline, then one segment or subsegment document. Anything else is counted as rejected and
 * dropped; nothing a sender does can stop these threads.
 *
 * <p>RATIONALE: one thread only drains the socket into a bounded queue, a second parses and
 * stores. The kernel's receive buffer is small (a few MB at most) and UDP has no flow control,
 * so the thread that reads the socket must never wait on parsing: a burst lands in the queue
 * instead of being dropped by the kernel.
 */
public final class UdpReceiver implements AutoCloseable {
  private static final Logger LOG = System.getLogger(UdpReceiver.class.getName());
  private static final int RECEIVE_BUFFER = 64 * 1024 * 1024;
  private static final int QUEUE_DATAGRAMS = 100_000;

  private final DatagramChannel channel;
  private final TraceStore store;
  private final Consumer<DocumentSummary> forward;
  private final Thread thread;
  private final Thread parser;
  private final java.util.concurrent.BlockingQueue<byte[]> received =
      new java.util.concurrent.ArrayBlockingQueue<>(QUEUE_DATAGRAMS);
  private final RateLimitedLogger rejectLog = new RateLimitedLogger(LOG, 60_000);
  private volatile boolean closed;

  /**
   * Binds {@code address} and starts receiving.
   *
   * @param forward called with every accepted document (forwarding to AWS), or null
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public UdpReceiver(InetSocketAddress address, TraceStore store, Consumer<DocumentSummary> forward) throws IOException {
    this.store = store;
    this.forward = forward;
    this.channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      channel.bind(address);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    this.thread = new Thread(this::run, "radiograph-daemon-udp");
    thread.setDaemon(true);
    this.parser = new Thread(this::parse, "radiograph-daemon-ingest");
    parser.setDaemon(true);
    parser.start();
    thread.start();
  }

  /** The bound address (with the port chosen when 0 was asked). */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocate(65_536);
    byte[] bytes = buffer.array();
    while (!closed) {
      buffer.clear();
      try {
        channel.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        rejectLog.log(Level.WARNING, "Radiograph daemon: UDP receive failed", e);
        continue;
      }
      byte[] datagram = java.util.Arrays.copyOf(bytes, buffer.position());
      if (!received.offer(datagram)) {
        store.rejectOverloaded();
        rejectLog.log(Level.WARNING, "Radiograph daemon: ingest queue full, dropping datagrams");
      }
    }
  }

  private void parse() {
    while (!closed || !received.isEmpty()) {
      byte[] datagram;
      try {
        datagram = received.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (datagram == null) {
        continue;
      }
      try {
        accept(datagram, datagram.length);
      } catch (RuntimeException | StackOverflowError e) {
        store.rejectMalformed(); // never let one datagram stop the daemon
      }
    }
  }

  /** Handles one datagram of {@code length} bytes. */
  void accept(byte[] bytes, int length) {
    int newline = -1;
    for (int i = 0; i < Math.min(length, 256); i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0 || !isHeader(bytes, newline)) {
      store.rejectMalformed();
      rejectLog.log(Level.INFO, "Radiograph daemon: rejected a datagram without the X-Ray header line");
      return;
    }
    int start = newline + 1;
    int docLength = length - start;
    if (docLength > TraceStore.MAX_DOCUMENT_BYTES) {
      store.rejectOversize();
      return;
    }
    DocumentSummary document;
    try {
      document = DocumentSummary.parse(bytes, start, docLength);
    } catch (IllegalArgumentException e) {
      store.rejectMalformed();
      rejectLog.log(Level.INFO, "Radiograph daemon: rejected a document: " + e.getMessage());
      return;
    }
    store.add(document);
    if (forward != null) {
      forward.accept(document);
    }
  }

  /** Whether the header line is {@code {"format": "json", "version": 1}} (spacing may vary). */
  private static boolean isHeader(byte[] bytes, int end) {
    StringBuilder compact = new StringBuilder(32);
    for (int i = 0; i < end; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        compact.append((char) (b & 0xFF));
      }
    }
    String header = compact.toString();
    return header.equals("{\"format\":\"json\",\"version\":1}") || header.equals("{\"version\":1,\"format\":\"json\"}");
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing to flush on a datagram channel.
    }
    try {
      thread.join(2000);
      parser.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
