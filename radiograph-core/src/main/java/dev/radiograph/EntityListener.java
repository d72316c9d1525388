package dev.radiograph;

/**
 * Told when segments and subsegments begin and end, and when the current entity of a thread
 * changes, so that things that follow the current entity (log correlation's MDC, metrics) hook in
 * without core depending on them.
 *
 * <p>Found with {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.radiograph.EntityListener}
 * file, or {@code provides dev.radiograph.EntityListener} in a module) when a recorder is built,
 * and added in code with {@link RecorderBuilder#listener}. Unsampled requests are reported too:
 * their ids are propagated, so their log lines can be found.
 *
 * <p>Called on the thread doing the work, on the request path: implementations must be quick and
 * must not block. An exception thrown here is logged (rate-limited) and swallowed; it never
 * reaches the application. A recorder without listeners pays one null check per operation.
 */
public interface EntityListener {
  /**
   * Whether this listener takes part in a recorder with {@code config}: asked once, when the
   * recorder is built; false leaves it out (for example a log-correlation listener when
   * {@code log-correlation=false}). True by default.
   */
  default boolean isEnabled(dev.radiograph.config.RadiographConfig config) {
    return true;
  }

  /**
   * The recorder this listener belongs to is built and ready: for a listener that will ask it for
   * its current entity later (a log-time hook). Called once.
   */
  default void onRecorderStarted(Recorder recorder) {}

  /** The recorder this listener belongs to was closed: release what {@link #onRecorderStarted} took. */
  default void onRecorderClosed(Recorder recorder) {}

  /** {@code entity} has begun (it is current on this thread unless an integration began it for later). */
  default void onBegin(Entity entity) {}

  /** {@code entity} has ended (called once per entity). */
  default void onEnd(Entity entity) {}

  /**
   * The current entity of this thread (or Vert.x context) is now {@code current}, {@code null}
   * for none: a segment or subsegment began or ended, a {@code ContextSnapshot} was applied or
   * closed, an integration moved the request to this thread.
   */
  default void onCurrentChanged(Entity current) {}
}
