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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends documents to the X-Ray daemon over UDP from one background thread.
 *
 * <p>RATIONALE: the request thread only appends the finished entity (or a document) to a
 * lock-free queue ({@link DocumentQueue}, bounded by count, and by bytes for ready documents; full
 * means drop and count). Serialization, the
 * syscall, and the DNS lookup of the daemon's host happen on the sender thread, so JSON writing,
 * a slow resolver, an absent daemon or a full socket buffer never add time to a request.
 *
 * <p>RATIONALE (batching): while documents keep coming, the sender drains the queue, then
 * lingers {@value #LINGER_NANOS} ns before looking again, instead of sleeping until the next
 * document wakes it. A busy service thus pays no wake-up (a futex call and a context switch) per
 * request, the sender wakes about a thousand times a second whatever the request rate, and its
 * datagrams leave in bursts that the daemon drains in bursts too. Only after
 * {@value #IDLE_LINGERS} empty lingers does it go to sleep and ask to be woken, so an idle
 * service costs nothing and its next document leaves at once.
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
  private static final long IDLE_PARK_NANOS = 100_000_000L;
  private static final long LINGER_NANOS = 1_000_000L;
  private static final int IDLE_LINGERS = 20;

  private final String host;
  private final int port;
  private final long maxQueuedBytes;
  // byte[] documents, or DocumentSources serialized on the sender thread.
  private final DocumentQueue queue;
  private final AtomicLong queuedBytes = new AtomicLong(); // of the byte[] documents queued
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicBoolean senderSleeping = new AtomicBoolean();
  private final RateLimitedLogger failureLog = new RateLimitedLogger(LOG, 60_000);
  private final RateLimitedLogger dropLog = new RateLimitedLogger(LOG, 60_000);
  private final Thread sender;
  private final String queueFullMessage; // built once: drops happen in floods
  private final String unresolvedMessage;
  private volatile boolean closed;

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
    if (maxQueuedDocuments < 1 || maxQueuedBytes < 1) {
      throw new IllegalArgumentException("queue bounds must be positive");
    }
    this.host = address.udpHost();
    this.port = address.udpPort();
    this.maxQueuedBytes = maxQueuedBytes;
    this.queue = new DocumentQueue(maxQueuedDocuments);
    this.queueFullMessage = "Radiograph: send queue full, dropping trace documents (daemon "
        + host + ":" + port + " not keeping up)";
    this.unresolvedMessage = "Radiograph: cannot resolve the daemon host '" + host
        + "'; trace documents are dropped until it resolves";
    this.sender = new Thread(this::runSender, "radiograph-emitter");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public boolean send(byte[] document) {
    if (document == null || closed) {
      return drop();
    }
    if (queuedBytes.addAndGet(document.length) > maxQueuedBytes) {
      queuedBytes.addAndGet(-document.length);
      return full();
    }
    if (!queue.offer(document)) {
      queuedBytes.addAndGet(-document.length);
      return full();
    }
    wakeSender();
    return true;
  }

  /**
   * Queues entities to be serialized on the sender thread: the request thread pays for one slot
   * of the queue, not for the JSON. Bounded by the document count: what an entity tree holds was
   * already bounded where it was recorded.
   */
  @Override
  public boolean send(DocumentSource source) {
    if (source == null || closed) {
      return drop();
    }
    if (!queue.offer(source)) {
      return full();
    }
    wakeSender();
    return true;
  }

  private boolean drop() {
    dropped.incrementAndGet();
    return false;
  }

  private boolean full() {
    dropped.incrementAndGet();
    dropLog.log(Level.WARNING, queueFullMessage);
    return false;
  }

  private void wakeSender() {
    if (senderSleeping.get() && senderSleeping.compareAndSet(true, false)) {
      LockSupport.unpark(sender);
    }
  }

  private void runSender() {
    Sender out = null;
    try {
      out = new Sender();
      int emptyLingers = IDLE_LINGERS; // start asleep: nothing has been sent yet
      while (true) {
        // An interrupt is not a stop signal here (close() is); clearing it keeps parkNanos from
        // spinning and channel operations from failing.
        Thread.interrupted();
        Object item = queue.poll();
        if (item == null) {
          if (closed) {
            return;
          }
          if (emptyLingers < IDLE_LINGERS) {
            emptyLingers++;
            LockSupport.parkNanos(this, LINGER_NANOS);
            continue;
          }
          senderSleeping.set(true);
          // Re-check after announcing sleep, so a document queued in between is not left waiting.
          if (queue.isEmpty() && !closed) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          }
          senderSleeping.set(false);
          continue;
        }
        emptyLingers = 0;
        try {
          if (item instanceof byte[]) {
            byte[] document = (byte[]) item;
            queuedBytes.addAndGet(-document.length);
            out.accept(document);
          } else {
            ((DocumentSource) item).writeTo(out);
          }
        } catch (RuntimeException e) {
          failed.incrementAndGet();
          failureLog.log(Level.WARNING, "Radiograph: could not write a trace document", e);
        } finally {
          completed.incrementAndGet();
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "Radiograph: the emitter stopped; traces will not be sent", e);
      closed = true;
    } finally {
      if (out != null) {
        out.close();
      }
      // Account for anything left so that flush() does not wait for documents nobody will send.
      Object left;
      while ((left = queue.poll()) != null) {
        if (left instanceof byte[]) {
          queuedBytes.addAndGet(-((byte[]) left).length);
        }
        dropped.incrementAndGet();
        completed.incrementAndGet();
      }
    }
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
  private final class Sender implements java.util.function.Consumer<byte[]> {
    private DatagramChannel channel;
    private InetSocketAddress target;
    private long nextResolveAt = System.nanoTime();
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(HEADER.length + MAX_DOCUMENT_BYTES + 1024);

    @Override
    public void accept(byte[] document) {
      try {
        if (channel == null && !connect()) {
          failed.incrementAndGet();
          failureLog.log(Level.WARNING, unresolvedMessage);
        } else if (document.length > MAX_DOCUMENT_BYTES) {
          failed.incrementAndGet();
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
          sent.incrementAndGet();
          bytesSent.addAndGet(bytes);
        }
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
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

    void close() {
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
    return new EmitterStats(sent.get(), dropped.get(), failed.get(), bytesSent.get());
  }

  @Override
  public boolean flush(Duration timeout) {
    long target = queue.accepted();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completed.get() < target) {
      if (!sender.isAlive() || System.nanoTime() - deadline >= 0) {
        return completed.get() >= target;
      }
      LockSupport.unpark(sender);
      LockSupport.parkNanos(200_000);
    }
    return true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(Duration.ofSeconds(2));
    closed = true;
    LockSupport.unpark(sender);
    try {
      sender.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "UdpEmitter{" + host + ":" + port + "}";
  }
}
