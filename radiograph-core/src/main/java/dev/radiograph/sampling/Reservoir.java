package dev.radiograph.sampling;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-second allowance: at most {@code perSecond} takes in each epoch second. Lock-free: one
 * compare-and-set on a packed (second, count) word, no allocation.
 */
final class Reservoir {
  private static final long COUNT_MASK = 0xFF_FFFFL; // 24 bits of count, the rest the second

  private final AtomicLong secondAndCount = new AtomicLong();

  /** Takes one from this second's allowance; false when it is used up. */
  boolean take(long nowMillis, int perSecond) {
    if (perSecond <= 0) {
      return false;
    }
    long second = nowMillis / 1000;
    long limit = Math.min(perSecond, COUNT_MASK);
    while (true) {
      long current = secondAndCount.get();
      long next;
      if ((current >>> 24) != second) {
        next = (second << 24) | 1;
      } else if ((current & COUNT_MASK) < limit) {
        next = current + 1;
      } else {
        return false;
      }
      if (secondAndCount.compareAndSet(current, next)) {
        return true;
      }
    }
  }
}
