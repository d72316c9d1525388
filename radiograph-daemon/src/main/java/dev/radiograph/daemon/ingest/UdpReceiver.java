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
 * instead of being dropped by the kernel. The queue is bounded by the heap its datagrams take
 * ({@value #QUEUE_BYTES} bytes, each datagram's array and queue node counted), not by their
 * number: 100,000 datagrams of 64 KB would be 6.5 GB. A datagram that does not fit is dropped
 * and counted ({@code droppedOverload}).
 */
public final class UdpReceiver implements AutoCloseable {
  private static final Logger LOG = System.getLogger(UdpReceiver.class.getName());
  private static final int RECEIVE_BUFFER = 64 * 1024 * 1024;
  /** Heap bytes the datagrams waiting to be parsed may take. */
  static final long QUEUE_BYTES = 64L * 1024 * 1024;
  /** A datagram's cost beyond its payload: the array's header and alignment, and the queue's node. */
  private static final int DATAGRAM_OVERHEAD = 16 + 7 + 24;
  private static final int BATCH = 256;

  private final DatagramChannel channel;
  private final TraceStore store;
  private final Consumer<DocumentSummary> forward;
  private final Thread thread;
  private final Thread parser;
  private final java.util.concurrent.BlockingQueue<byte[]> received = new java.util.concurrent.LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
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
      if (buffer.position() == buffer.capacity()) {
        store.rejectOversize(); // cut off by the buffer: larger than any document may be
        continue;
      }
      long cost = buffer.position() + DATAGRAM_OVERHEAD;
      // Only this thread adds, so the check and the add cannot race past the bound.
      if (queuedBytes.get() + cost > QUEUE_BYTES) {
        store.rejectOverloaded();
        rejectLog.log(Level.WARNING, "Radiograph daemon: ingest queue full (" + (QUEUE_BYTES >> 20)
            + " MB), dropping datagrams");
        continue;
      }
      queuedBytes.addAndGet(cost);
      received.add(java.util.Arrays.copyOf(bytes, buffer.position()));
    }
  }

  private void parse() {
    java.util.List<byte[]> batch = new java.util.ArrayList<>(BATCH);
    while (!closed || !received.isEmpty()) {
      try {
        byte[] first = received.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        return;
      }
      received.drainTo(batch, BATCH - 1);
      for (byte[] datagram : batch) {
        try {
          accept(datagram, datagram.length);
        } catch (RuntimeException | StackOverflowError e) {
          store.rejectMalformed(); // never let one datagram stop the daemon
        }
      }
      long held = 0; // counted until parsed: the batch holds them until then
      for (byte[] datagram : batch) {
        held += datagram.length + DATAGRAM_OVERHEAD;
      }
      queuedBytes.addAndGet(-held);
      batch.clear();
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
      store.reject(e);
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
