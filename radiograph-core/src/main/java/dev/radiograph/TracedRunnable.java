package dev.radiograph;

/** Work traced by {@link Recorder#trace(String, TracedRunnable)} that returns nothing. */
@FunctionalInterface
public interface TracedRunnable<E extends Throwable> {
  void run() throws E;
}
