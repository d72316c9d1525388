package dev.radiograph.spring;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * Ends traced reactive work exactly once, on the first of its three ways to finish: success,
 * error, or cancellation (a client that went away, a {@code timeout}, a {@code take}). The server
 * filter and the {@code WebClient} filter both end their entity through it.
 *
 * <p>RATIONALE: a cancellation can arrive after the value (a {@code Mono} consumer cancels once it
 * has it), so the three hooks race; the first one wins, and the entity is never ended twice nor
 * left open.
 */
final class EndOnce extends AtomicBoolean {
  /** What ending does: with the value (null when empty), or the error, or neither when cancelled. */
  @FunctionalInterface
  interface Ending<T> {
    void end(T value, Throwable error, boolean cancelled);
  }

  private EndOnce() {}

  /** {@code mono}, calling {@code ending} once when it succeeds, fails or is cancelled. */
  static <T> Mono<T> around(Mono<T> mono, Ending<? super T> ending) {
    EndOnce once = new EndOnce();
    return mono
        .doOnSuccess(value -> {
          if (once.compareAndSet(false, true)) {
            ending.end(value, null, false);
          }
        })
        .doOnError(error -> {
          if (once.compareAndSet(false, true)) {
            ending.end(null, error, false);
          }
        })
        .doOnCancel(() -> {
          if (once.compareAndSet(false, true)) {
            ending.end(null, null, true);
          }
        });
  }
}
