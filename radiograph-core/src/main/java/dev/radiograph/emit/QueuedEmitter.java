package dev.radiograph.emit;

import dev.radiograph.internal.RateLimitedLogger;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What every emitter shares: the bounded queue the request threads append to, and the one sender
 * thread that serializes and hands each document to a {@link Transport} (a datagram, an OTLP
 * batch). The UDP and the OTLP emitters differ only in their transport.
 *
 * <p>RATIONALE: the request thread only appends the finished entity (or a document) to a
 * lock-free queue ({@link DocumentQueue}, bounded by count, and by bytes for ready documents; full
 * means drop and count). Serialization, the network and the DNS lookup happen on the sender
 * thread, so JSON writing, a slow resolver, an absent receiver or a full socket buffer never add
 * time to a request.
 *
 * <p>RATIONALE (lingering): while documents keep coming, the sender drains the queue, then
 * lingers {@value #LINGER_NANOS} ns before looking again, instead of sleeping until the next
 * document wakes it. A busy service thus pays no wake-up (a futex call and a context switch) per
 * request, the sender wakes about a thousand times a second whatever the request rate. Only after
 * {@value #IDLE_LINGERS} empty lingers does it go to sleep and ask to be woken, so an idle
 * service costs nothing and its next document leaves at once. Every time the queue is found
 * empty the transport is told ({@link Transport#idle}), and a sleeping sender wakes at least every
 * {@value #IDLE_PARK_NANOS} ns, so a batching transport sends what is due even when nothing more
 * comes.
 */
final class QueuedEmitter {
  private static final Logger LOG = System.getLogger(QueuedEmitter.class.getName());
  private static final long IDLE_PARK_NANOS = 100_000_000L;
  private static final long LINGER_NANOS = 1_000_000L;
  private static final int IDLE_LINGERS = 20;

  /** Where the sender thread puts documents; called on the sender thread only. */
  interface Transport extends java.util.function.Consumer<byte[]> {
    /** Sends (or batches) one document, counting in {@code counters}; never throws. */
    @Override
    void accept(byte[] document);

    /**
     * The queue is empty: send what is due. {@code flushing} asks for everything held to be sent
     * now. Returns whether the transport holds nothing unsent.
     */
    default boolean idle(boolean flushing) {
      return true;
    }

    /** Releases the socket or client; called once, on the sender thread, when the emitter closes. */
    void close();
  }

  /** The counters a transport and the queue share. */
  static final class Counters {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();

    EmitterStats stats() {
      return new EmitterStats(sent.get(), dropped.get(), failed.get(), bytesSent.get());
    }
  }

  private final long maxQueuedBytes;
  // byte[] documents, or DocumentSources serialized on the sender thread.
  private final DocumentQueue queue;
  private final AtomicLong queuedBytes = new AtomicLong(); // of the byte[] documents queued
  private final AtomicLong completed = new AtomicLong();
  private final Counters counters;
  private final AtomicBoolean senderSleeping = new AtomicBoolean();
  private final AtomicLong flushRequests = new AtomicLong();
  private final RateLimitedLogger failureLog = new RateLimitedLogger(LOG, 60_000);
  private final RateLimitedLogger dropLog = new RateLimitedLogger(LOG, 60_000);
  private final Thread sender;
  private final String queueFullMessage; // built once: drops happen in floods
  private volatile long flushedUpTo; // the last flush request after which the transport held nothing
  private volatile boolean closed;

  /**
   * Starts the sender thread.
   *
   * @param transport created on the sender thread (a socket belongs to the thread that uses it)
   * @param queueFullMessage what is logged (rate limited) when documents are dropped
   */
  QueuedEmitter(java.util.function.Function<Counters, Transport> transport, int maxQueuedDocuments,
      long maxQueuedBytes, String queueFullMessage, String threadName) {
    Objects.requireNonNull(transport, "transport");
    if (maxQueuedDocuments < 1 || maxQueuedBytes < 1) {
      throw new IllegalArgumentException("queue bounds must be positive");
    }
    this.counters = new Counters();
    this.maxQueuedBytes = maxQueuedBytes;
    this.queue = new DocumentQueue(maxQueuedDocuments);
    this.queueFullMessage = queueFullMessage;
    this.sender = new Thread(() -> runSender(transport), threadName);
    sender.setDaemon(true);
    sender.start();
  }

  boolean send(byte[] document) {
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
  boolean send(Emitter.DocumentSource source) {
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
    counters.dropped.incrementAndGet();
    return false;
  }

  private boolean full() {
    counters.dropped.incrementAndGet();
    dropLog.log(Level.WARNING, queueFullMessage);
    return false;
  }

  private void wakeSender() {
    if (senderSleeping.get() && senderSleeping.compareAndSet(true, false)) {
      LockSupport.unpark(sender);
    }
  }

  private void runSender(java.util.function.Function<Counters, Transport> transportFactory) {
    Transport out = null;
    try {
      out = transportFactory.apply(counters);
      int emptyLingers = IDLE_LINGERS; // start asleep: nothing has been sent yet
      long flushesSeen = 0;
      while (true) {
        // An interrupt is not a stop signal here (close() is); clearing it keeps parkNanos from
        // spinning and channel operations from failing.
        Thread.interrupted();
        Object item = queue.poll();
        if (item == null) {
          long flushes = flushRequests.get();
          boolean drained = out.idle(closed || flushes != flushesSeen);
          flushesSeen = flushes;
          if (drained) {
            flushedUpTo = flushes;
          }
          if (closed) {
            return;
          }
          if (emptyLingers < IDLE_LINGERS) {
            emptyLingers++;
            LockSupport.parkNanos(this, LINGER_NANOS);
            continue;
          }
          // Asleep for at most IDLE_PARK_NANOS: a batch the transport still holds is looked at
          // again by then (a document or a flush wakes the sender sooner).
          senderSleeping.set(true);
          // Re-check after announcing sleep, so a document queued in between is not left waiting.
          if (queue.isEmpty() && !closed && flushRequests.get() == flushesSeen) {
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
            ((Emitter.DocumentSource) item).writeTo(out);
          }
        } catch (RuntimeException e) {
          counters.failed.incrementAndGet();
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
      flushedUpTo = Long.MAX_VALUE;
      // Account for anything left so that flush() does not wait for documents nobody will send.
      Object left;
      while ((left = queue.poll()) != null) {
        if (left instanceof byte[]) {
          queuedBytes.addAndGet(-((byte[]) left).length);
        }
        counters.dropped.incrementAndGet();
        completed.incrementAndGet();
      }
    }
  }

  EmitterStats stats() {
    return counters.stats();
  }

  /** Waits until everything queued before this call was handed to the transport and sent. */
  boolean flush(Duration timeout) {
    long target = queue.accepted();
    long deadline = System.nanoTime() + timeout.toNanos();
    // The sender answers a request only from an idle() call made after it saw the request, with
    // the queue empty: by then every document accepted before this call has been handled.
    long request = flushRequests.incrementAndGet();
    while (true) {
      boolean handled = completed.get() >= target;
      if (handled && flushedUpTo >= request) {
        return true;
      }
      if (!sender.isAlive()) {
        return handled;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.unpark(sender);
      LockSupport.parkNanos(200_000);
    }
  }

  void close() {
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
}
