package dev.radiograph;

import dev.radiograph.internal.RateLimitedLogger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The recorder's listeners, called in order, each one guarded so that a failing listener neither
 * reaches the application nor keeps the others from being told.
 */
final class EntityListeners {
  private static final RateLimitedLogger FAILURES =
      new RateLimitedLogger(System.getLogger("dev.radiograph"), 60_000);

  private final EntityListener[] listeners;

  private EntityListeners(List<EntityListener> listeners) {
    this.listeners = listeners.toArray(new EntityListener[0]);
  }

  /** The listeners, or null when there are none (the recorder then checks for null only). */
  static EntityListeners of(List<EntityListener> listeners) {
    return listeners.isEmpty() ? null : new EntityListeners(listeners);
  }

  void started(Recorder recorder) {
    for (EntityListener listener : listeners) {
      try {
        listener.onRecorderStarted(recorder);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  void closed(Recorder recorder) {
    for (EntityListener listener : listeners) {
      try {
        listener.onRecorderClosed(recorder);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  void begun(Entity entity) {
    for (EntityListener listener : listeners) {
      try {
        listener.onBegin(entity);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  void ended(Entity entity) {
    for (EntityListener listener : listeners) {
      try {
        listener.onEnd(entity);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  void currentChanged(Entity current) {
    for (EntityListener listener : listeners) {
      try {
        listener.onCurrentChanged(current);
      } catch (RuntimeException e) {
        failed(listener, e);
      }
    }
  }

  private static void failed(EntityListener listener, RuntimeException e) {
    FAILURES.log(Level.WARNING, "Radiograph: the entity listener " + listener.getClass().getName()
        + " failed; the request goes on", e);
  }
}
