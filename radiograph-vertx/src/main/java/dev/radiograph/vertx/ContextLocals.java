package dev.radiograph.vertx;

import dev.radiograph.Entity;
import dev.radiograph.http.HttpServerTracing;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The slots Radiograph keeps on Vert.x contexts. Vert.x sizes each instance's context storage
 * when the instance is built, so these are registered when this class is first used, which
 * {@link RadiographTracerFactory} (listed as a {@code VertxServiceProvider}, and so loaded while
 * every Vert.x instance is being built) makes happen before the first instance exists.
 */
final class ContextLocals {
  /** The current segment or subsegment of the work running on a context. */
  static final ContextLocal<Entity> ENTITY = ContextLocal.registerLocal(Entity.class);

  /** The traced HTTP request a (duplicated) request context serves, for its response header. */
  static final ContextLocal<HttpServerTracing.Request> SERVER_REQUEST =
      ContextLocal.registerLocal(HttpServerTracing.Request.class);

  private ContextLocals() {}

  /** Registers the slots (by initializing this class) if that has not happened yet. */
  static void register() {
    // Class initialization did the work; nothing more to do.
  }
}
