package dev.radiograph.context;

/**
 * Supplies the {@link SegmentContext} of a recorder built without one, so that a framework's
 * integration picks the right place for the current entity as soon as its jar is on the class
 * path: {@code Recorder.builder().build()} in a Vert.x application keeps the entity on the Vert.x
 * context without the user having to ask for it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.radiograph.context.SegmentContextProvider}); the first one that
 * answers a context wins, and without one the recorder keeps its entity in a thread local.
 * A provider's context must behave as a thread local wherever its framework is not running the
 * code, since every thread of the application uses it.
 */
public interface SegmentContextProvider {
  /** A new context for one recorder, or {@code null} when this provider does not apply here. */
  SegmentContext create();

  /**
   * The context of a recorder built without one: the first provider's, else a
   * {@link ThreadLocalSegmentContext}. A provider that fails is skipped (and logged once per
   * recorder build): the recorder must still be built.
   */
  static SegmentContext defaultContext() {
    return SegmentContextProviders.create();
  }
}
