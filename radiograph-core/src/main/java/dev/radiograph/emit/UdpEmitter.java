package dev.radiograph.emit;

import dev.radiograph.internal.DaemonAddress;
import dev.radiograph.internal.RateLimitedLogger;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends documents to the X-Ray daemon over UDP from one background thread ({@link QueuedEmitter}:
 * the request thread only queues, the sender thread serializes and writes one datagram per
 * document).
 *
 * <p>Each datagram is {@code {"format": "json", "version": 1}\n} followed by the document.
 */
final class UdpEmitter implements Emitter {
  /** The header line of every X-Ray daemon datagram. */
  static final byte[] HEADER = "{\"format\": \"json\", \"version\": 1}\n".getBytes(StandardCharsets.US_ASCII);

  static {
    if (HEADER.length + MAX_DOCUMENT_BYTES != 65_507) {
      throw new AssertionError("the datagram header changed: update Emitter.MAX_DOCUMENT_BYTES");
    }
  }

  private static final Logger LOG = System.getLogger(UdpEmitter.class.getName());
  private static final long RESOLVE_RETRY_NANOS = 5_000_000_000L;

  private final String host;
  private final int port;
  private final String unresolvedMessage;
  private final QueuedEmitter queue;

  /** An emitter to the daemon's UDP address, with the default bounds. */
  UdpEmitter(DaemonAddress address) {
    this(address, 8_192, 32L * 1024 * 1024);
  }

  /**
   * An emitter to the daemon's UDP address.
   *
   * @param maxQueuedDocuments documents waiting to be sent before new ones are dropped
   * @param maxQueuedBytes bytes waiting to be sent before new documents are dropped
   */
  UdpEmitter(DaemonAddress address, int maxQueuedDocuments, long maxQueuedBytes) {
    Objects.requireNonNull(address, "address");
    this.host = address.udpHost();
    this.port = address.udpPort();
    this.unresolvedMessage = "Radiograph: cannot resolve the daemon host '" + host
        + "'; trace documents are dropped until it resolves";
    this.queue = new QueuedEmitter(Sender::new, maxQueuedDocuments, maxQueuedBytes,
        "Radiograph: send queue full, dropping trace documents (daemon " + host + ":" + port
            + " not keeping up)", "radiograph-emitter");
  }

  @Override
  public boolean send(byte[] document) {
    return queue.send(document);
  }

  @Override
  public boolean send(DocumentSource source) {
    return queue.send(source);
  }

  /**
   * The sender thread's socket, connected to the daemon once its address resolves: sends one
   * document per datagram.
   *
   * <p>RATIONALE: a connected socket of the address's own family lets the kernel skip the route
   * lookup and the IPv4-over-IPv6 mapping on every datagram, the largest part of a send after the
   * copy itself. Connecting also means an absent daemon is reported (as a
   * {@link PortUnreachableException} on a later write) instead of silently eating datagrams; that
   * error belongs to an earlier datagram, so the current one is written again once.
   */
  private final class Sender implements QueuedEmitter.Transport {
    private final QueuedEmitter.Counters counters;
    private final RateLimitedLogger failureLog = new RateLimitedLogger(LOG, 60_000);
    private DatagramChannel channel;
    private InetSocketAddress target;
    private long nextResolveAt = System.nanoTime();
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(HEADER.length + MAX_DOCUMENT_BYTES + 1024);

    Sender(QueuedEmitter.Counters counters) {
      this.counters = counters;
    }

    @Override
    public void accept(byte[] document) {
      try {
        if (channel == null && !connect()) {
          counters.failed.incrementAndGet();
          failureLog.log(Level.WARNING, unresolvedMessage);
        } else if (document.length > MAX_DOCUMENT_BYTES) {
          counters.failed.incrementAndGet();
          failureLog.log(Level.WARNING, "Radiograph: dropped a document of " + document.length
              + " bytes, larger than a datagram");
        } else {
          datagram.clear();
          datagram.put(HEADER).put(document).flip();
          int bytes;
          try {
            bytes = channel.write(datagram);
          } catch (PortUnreachableException earlierDatagramRefused) {
            datagram.rewind();
            bytes = channel.write(datagram);
          }
          counters.sent.incrementAndGet();
          counters.bytesSent.addAndGet(bytes);
        }
      } catch (IOException | RuntimeException e) {
        counters.failed.incrementAndGet();
        failureLog.log(Level.WARNING, "Radiograph: failed to send to the daemon at " + host + ":" + port, e);
        if (channel != null && !channel.isOpen()) {
          Thread.interrupted();
          channel = null; // reconnected on the next document
        }
      }
    }

    /** Resolves the daemon (at most every few seconds while it does not) and connects to it. */
    private boolean connect() throws IOException {
      if (target == null) {
        if (System.nanoTime() - nextResolveAt < 0) {
          return false;
        }
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
          nextResolveAt = System.nanoTime() + RESOLVE_RETRY_NANOS;
          return false;
        }
        target = resolved;
      }
      DatagramChannel opened = DatagramChannel.open(
          target.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
      try {
        opened.connect(target);
      } catch (IOException | RuntimeException e) {
        opened.close();
        throw e;
      }
      channel = opened;
      return true;
    }

    @Override
    public void close() {
      if (channel == null) {
        return;
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a datagram channel has nothing to flush.
      }
    }
  }

  @Override
  public EmitterStats stats() {
    return queue.stats();
  }

  @Override
  public boolean flush(Duration timeout) {
    return queue.flush(timeout);
  }

  @Override
  public void close() {
    queue.close();
  }

  @Override
  public String toString() {
    return "UdpEmitter{" + host + ":" + port + "}";
  }
}
