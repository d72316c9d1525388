package dev.radiograph.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one line per interval for a recurring problem and counts what it held back, so that a
 * daemon that is down or a flood of bad input never floods the application's log. Lock-free: the
 * caller that wins the compare-and-set logs, the others only count.
 * Internal: not part of Radiograph's API.
 */
public final class RateLimitedLogger {
  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLong nextLogAt;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLogger(Logger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nextLogAt = new AtomicLong(System.nanoTime());
  }

  /** Logs {@code message} unless a line was logged less than an interval ago. */
  public void log(Level level, String message, Throwable error) {
    long now = System.nanoTime();
    long next = nextLogAt.get();
    if (now - next >= 0 && nextLogAt.compareAndSet(next, now + intervalNanos)) {
      long held = suppressed.getAndSet(0);
      String line = held == 0 ? message : message + " (" + held + " similar messages suppressed)";
      if (error == null) {
        logger.log(level, line);
      } else {
        logger.log(level, line + ": " + error);
      }
    } else {
      suppressed.incrementAndGet();
    }
  }

  public void log(Level level, String message) {
    log(level, message, null);
  }
}
