package dev.radiograph.daemon.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What arrived at a store and what became of it, counted without the store's lock, and the wait
 * for a number of accepted documents ({@link TraceStore#awaitAccepted}). Every store counts
 * through one of these so that the counts mean the same whichever store is used.
 */
final class IngestCounters {
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejectedMalformed = new AtomicLong();
  private final AtomicLong rejectedOversize = new AtomicLong();
  private final AtomicLong droppedOverload = new AtomicLong();
  private final Object changed = new Object();

  /** A document arrived; what becomes of it is counted by one of the other methods. */
  void received() {
    received.incrementAndGet();
  }

  void malformed() {
    rejectedMalformed.incrementAndGet();
  }

  void oversize() {
    rejectedOversize.incrementAndGet();
  }

  void overloaded() {
    droppedOverload.incrementAndGet();
  }

  /** A document was stored; wakes those waiting in {@link #awaitAccepted}. */
  void accepted() {
    accepted.incrementAndGet();
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** The counts, with the store's own figures of what it holds now. */
  StoreStats stats(long evictedTraces, long evictedDocuments, long storedTraces, long storedDocuments,
      long storedBytes) {
    return new StoreStats(received.get(), accepted.get(), rejectedMalformed.get(), rejectedOversize.get(),
        droppedOverload.get(), evictedTraces, evictedDocuments, storedTraces, storedDocuments, storedBytes);
  }

  boolean awaitAccepted(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (accepted.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }
}
