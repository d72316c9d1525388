package dev.radiograph.emit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The emitter's queue: bounded, many request threads offering, the one sender thread polling.
 *
 * <p>RATIONALE: on the request path an offer is one compare-and-set on an index that only
 * producers write, and one store into the ring: no node to allocate (a linked queue's offer
 * allocates one and shares its tail with the consumer), and no counter that the sender also
 * writes. The indexes live 128 bytes apart so that the producers' and the sender's writes do not
 * fight over one cache line. A slot is reused only after the sender has cleared it and published
 * its new index, which a producer reads (volatile) before claiming past the bound.
 */
final class DocumentQueue {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  // Longs 16 apart in one array: 128 bytes between the values, padding on both sides.
  private static final int PRODUCER = 16;
  private static final int CONSUMER_SEEN = 32; // the consumer index as producers last read it
  private static final int CONSUMER = 48;
  private static final int SPINS_BEFORE_YIELD = 64;

  private final Object[] slots;
  private final int mask;
  private final long limit;
  private final AtomicLongArray indexes = new AtomicLongArray(64);

  /** A queue holding at most {@code limit} items. */
  DocumentQueue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    int capacity = Integer.highestOneBit(Math.max(2, limit) - 1) << 1; // the power of two >= limit
    this.slots = new Object[capacity];
    this.mask = capacity - 1;
    this.limit = limit;
  }

  /** Adds {@code item} (not null); false when the queue holds {@code limit} items. Never blocks. */
  boolean offer(Object item) {
    while (true) {
      long produced = indexes.get(PRODUCER);
      if (produced - indexes.get(CONSUMER_SEEN) >= limit) {
        long consumed = indexes.get(CONSUMER);
        if (produced - consumed >= limit) {
          return false;
        }
        indexes.set(CONSUMER_SEEN, consumed);
      }
      if (indexes.compareAndSet(PRODUCER, produced, produced + 1)) {
        SLOTS.setRelease(slots, (int) produced & mask, item);
        return true;
      }
    }
  }

  /**
   * The oldest item, or null when the queue is empty. Only the one consumer calls it. An item
   * whose slot is claimed but not yet filled is waited for: its producer is between two stores.
   */
  Object poll() {
    long consumed = indexes.get(CONSUMER);
    int slot = (int) consumed & mask;
    Object item = SLOTS.getAcquire(slots, slot);
    if (item == null) {
      if (consumed == indexes.get(PRODUCER)) {
        return null;
      }
      for (int spins = 0; (item = SLOTS.getAcquire(slots, slot)) == null; spins++) {
        if (spins < SPINS_BEFORE_YIELD) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // the producer was descheduled between its claim and its store
        }
      }
    }
    SLOTS.setOpaque(slots, slot, null);
    indexes.lazySet(CONSUMER, consumed + 1); // after the clear: a producer that sees it may reuse the slot
    return item;
  }

  /** Whether nothing is queued (or being queued). */
  boolean isEmpty() {
    return indexes.get(CONSUMER) == indexes.get(PRODUCER);
  }

  /** Items ever accepted: what {@code flush} waits for the sender to have handled. */
  long accepted() {
    return indexes.get(PRODUCER);
  }
}
