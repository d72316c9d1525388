package dev.radiograph.context;

import dev.radiograph.Entity;

/**
 * Where the current segment or subsegment lives while code runs: a thread local by default
 * ({@link ThreadLocalSegmentContext}), the Vert.x context in Vert.x. An implementation is a
 * service provider interface: the recorder calls it on every begin and end, so both methods must
 * be fast and must not throw.
 */
public interface SegmentContext {
  /** The current entity, or {@code null} when none. */
  Entity current();

  /** Makes {@code entity} current; {@code null} clears. */
  void set(Entity entity);
}
