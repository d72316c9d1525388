package dev.radiograph;

/**
 * Work traced by {@link Recorder#trace(String, TracedFunction)} that receives its subsegment (to
 * annotate it) and returns a value.
 */
@FunctionalInterface
public interface TracedFunction<T, E extends Throwable> {
  T apply(Subsegment subsegment) throws E;
}
