package dev.radiograph.vertx;

import dev.radiograph.context.SegmentContext;
import dev.radiograph.context.SegmentContextProvider;

/**
 * Makes every recorder built without a context of its own keep its entity on the Vert.x context
 * while radiograph-vertx is on the class path: {@code Recorder.builder()} and the global
 * {@code Radiograph} recorder work in Vert.x handlers without a setting to remember (the Python
 * SDK's {@code AsyncContext} trap). Off Vert.x, {@link VertxSegmentContext} is a thread local, so
 * the rest of the application is unaffected. Listed in {@code META-INF/services}.
 */
public final class VertxSegmentContextProvider implements SegmentContextProvider {
  /** For {@link java.util.ServiceLoader}. */
  public VertxSegmentContextProvider() {}

  @Override
  public SegmentContext create() {
    return VertxSegmentContext.create();
  }
}
