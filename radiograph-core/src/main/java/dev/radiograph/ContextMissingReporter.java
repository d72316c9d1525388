package dev.radiograph;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies {@code context-missing} when the application asks for the current segment and there is
 * none: throws for {@code RUNTIME_ERROR}, logs for {@code LOG_ERROR}, stays quiet for
 * {@code IGNORE_ERROR}.
 *
 * <p>RATIONALE: the log names the calling class, found with a stack walk past {@link CallSites},
 * once per class (up to {@value #MAX_LOGGED_CALL_SITES}), and at most {@value WalkBudget#PER_SECOND}
 * walks a second: untraced code calling in a loop costs a set lookup, not a stack walk per call.
 */
final class ContextMissingReporter {
  private static final Logger LOG = System.getLogger("dev.radiograph");
  private static final int MAX_LOGGED_CALL_SITES = 512;
  private static final StackWalker STACK_WALKER = StackWalker.getInstance();

  private final ContextMissingStrategy strategy;
  private final Set<String> loggedCallSites = ConcurrentHashMap.newKeySet();
  private final WalkBudget walks = new WalkBudget();

  ContextMissingReporter(ContextMissingStrategy strategy) {
    this.strategy = strategy;
  }

  /**
   * Reports {@code operation} (say {@code "endSegment()"}) called with no segment in progress.
   *
   * @throws SegmentNotFoundException under {@code RUNTIME_ERROR}
   */
  void report(String operation) {
    switch (strategy) {
      case RUNTIME_ERROR:
        throw new SegmentNotFoundException(
            "Radiograph: " + operation + " with no segment in progress (context-missing=RUNTIME_ERROR)");
      case LOG_ERROR:
        if (!walks.tryAcquire()) {
          break; // a flood of untraced calls: don't pay for a stack walk on each
        }
        String callSite = callSite();
        if (loggedCallSites.size() < MAX_LOGGED_CALL_SITES && loggedCallSites.add(callSite)) {
          LOG.log(Level.ERROR, "Radiograph: " + operation + " called from " + callSite
              + " with no segment in progress; the work is not traced. Begin a segment first, or"
              + " carry the context into this thread (ContextSnapshot, TracedExecutors). Logged once"
              + " per class; set context-missing=IGNORE_ERROR to silence.");
        }
        break;
      default:
        break;
    }
  }

  /** The first class on the stack that is not passed through: the code that made the call. */
  static String callSite() {
    return STACK_WALKER.walk(frames -> frames
        .map(StackWalker.StackFrame::getClassName)
        .filter(name -> !CallSites.isPassThrough(name))
        .findFirst()
        .orElse("unknown"));
  }

  /** At most {@value #PER_SECOND} stack walks a second. */
  private static final class WalkBudget {
    static final int PER_SECOND = 64;
    private final AtomicLong secondAndCount = new AtomicLong();

    boolean tryAcquire() {
      long second = System.nanoTime() / 1_000_000_000L;
      while (true) {
        long current = secondAndCount.get();
        long next;
        if ((current >>> 16) != second) {
          next = (second << 16) | 1;
        } else if ((current & 0xFFFF) < PER_SECOND) {
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
}
