package dev.radiograph;

/**
 * Work traced by {@link Recorder#trace(String, TracedConsumer)} that receives its subsegment and
 * returns nothing.
 */
@FunctionalInterface
public interface TracedConsumer<E extends Throwable> {
  void accept(Subsegment subsegment) throws E;
}
