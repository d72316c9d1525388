package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What arrived at a store and what became of it, counted without the store's lock, and the wait
 * for a number of accepted documents ({@link TraceStore#awaitAccepted}). Every store counts
 * through one of these so that the counts mean the same whichever store is used.
 *
 * <p>RATIONALE: ingest only notifies when someone waits (tests, the benchmark), so the hot path
 * costs an increment and a read, not a monitor.
 */
final class IngestCounters {
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejectedMalformed = new LongAdder();
  private final LongAdder rejectedOversize = new LongAdder();
  private final LongAdder rejectedNonFinite = new LongAdder();
  private final LongAdder droppedOverload = new LongAdder();
  private final LongAdder truncatedDocuments = new LongAdder();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Object changed = new Object();

  /** A document arrived; what becomes of it is counted by one of the other methods. */
  void received() {
    received.increment();
  }

  /** A document arrived and was rejected (or dropped) for this reason. */
  void malformed() {
    received.increment();
    rejectedMalformed.increment();
  }

  /** A document arrived and was rejected (or dropped) for this reason. */
  void oversize() {
    received.increment();
    rejectedOversize.increment();
  }

  /** A document arrived and was rejected (or dropped) for this reason. */
  void nonFinite() {
    received.increment();
    rejectedNonFinite.increment();
  }

  /** A document arrived and was rejected (or dropped) for this reason. */
  void overloaded() {
    received.increment();
    droppedOverload.increment();
  }

  /** A valid document not kept because its trace had passed its cap; also counts it accepted. */
  void truncated() {
    truncatedDocuments.increment();
  }

  /** A document was taken in (stored or truncated); wakes those waiting in {@link #awaitAccepted}. */
  void accepted() {
    accepted.increment();
    if (waiters.get() > 0) {
      synchronized (changed) {
        changed.notifyAll();
      }
    }
  }

  /** The counts, with the store's own figures of what it holds now. */
  StoreStats stats(long truncatedTraces, long evictedTraces, long evictedDocuments, long storedTraces,
      long storedDocuments, long storedBytes) {
    return new StoreStats(received.sum(), accepted.sum(), rejectedMalformed.sum(), rejectedOversize.sum(),
        rejectedNonFinite.sum(), droppedOverload.sum(), truncatedTraces, truncatedDocuments.sum(),
        evictedTraces, evictedDocuments, storedTraces, storedDocuments, storedBytes);
  }

  boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    waiters.incrementAndGet();
    try {
      synchronized (changed) {
        while (accepted.sum() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          // Bounded: an increment that raced the waiter count is seen on the next round.
          changed.wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
      }
    } finally {
      waiters.decrementAndGet();
    }
    return true;
  }
}
