package dev.radiograph.daemon.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per window for a problem that recurs (a flood of bad datagrams, AWS unreachable),
 * with the number of lines held back since the last one, so that hostile input cannot fill the
 * log. Lock-free: the thread that claims the window logs, the others only count.
 */
public final class RateLimitedLogger {
  private final Logger logger;
  private final long windowNanos;
  private final AtomicLong windowEndsAt = new AtomicLong(System.nanoTime());
  private final AtomicLong heldBack = new AtomicLong();

  public RateLimitedLogger(Logger logger, long windowMillis) {
    this.logger = logger;
    this.windowNanos = windowMillis * 1_000_000L;
  }

  /** Logs {@code message} with what went wrong, unless a line was logged in this window. */
  public void log(Level level, String message, Throwable problem) {
    String suffix = problem == null ? "" : ": " + problem;
    if (!claimWindow()) {
      heldBack.incrementAndGet();
      return;
    }
    long held = heldBack.getAndSet(0);
    logger.log(level, held > 0 ? message + suffix + " (" + held + " like it not logged)" : message + suffix);
  }

  public void log(Level level, String message) {
    log(level, message, null);
  }

  private boolean claimWindow() {
    long now = System.nanoTime();
    long end = windowEndsAt.get();
    return now - end >= 0 && windowEndsAt.compareAndSet(end, now + windowNanos);
  }
}
