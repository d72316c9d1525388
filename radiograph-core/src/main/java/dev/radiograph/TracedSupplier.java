package dev.radiograph;

/**
 * Work traced by {@link Recorder#trace(String, TracedSupplier)} that returns a value. The
 * exception type is inferred, so checked exceptions pass through without wrapping.
 */
@FunctionalInterface
public interface TracedSupplier<T, E extends Throwable> {
  T get() throws E;
}
