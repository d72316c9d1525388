package dev.radiograph;

import dev.radiograph.context.SegmentContext;

/**
 * A recorder's context when it has listeners: every change of the current entity, by the
 * recorder, a {@code ContextSnapshot} or an integration, is reported after it is made.
 */
final class ListenedSegmentContext implements SegmentContext {
  private final SegmentContext delegate;
  private final EntityListeners listeners;

  ListenedSegmentContext(SegmentContext delegate, EntityListeners listeners) {
    this.delegate = delegate;
    this.listeners = listeners;
  }

  @Override
  public Entity current() {
    return delegate.current();
  }

  @Override
  public void set(Entity entity) {
    delegate.set(entity);
    listeners.currentChanged(entity);
  }
}
