package dev.radiograph.context;

import dev.radiograph.Entity;

/**
 * The default context: one current entity per thread (virtual threads included). A thread that
 * starts work for another must be given the entity, which {@link ContextSnapshot} and
 * {@link TracedExecutors} do.
 */
public final class ThreadLocalSegmentContext implements SegmentContext {
  // A one-element holder per thread: after the first request on a thread, set() is an array
  // store instead of a ThreadLocalMap update.
  private final ThreadLocal<Entity[]> holder = ThreadLocal.withInitial(() -> new Entity[1]);

  /** A context of its own: entities set through another instance are not seen here. */
  public ThreadLocalSegmentContext() {}

  @Override
  public Entity current() {
    return holder.get()[0];
  }

  @Override
  public void set(Entity entity) {
    holder.get()[0] = entity;
  }
}
