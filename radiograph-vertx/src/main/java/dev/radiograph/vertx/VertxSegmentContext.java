package dev.radiograph.vertx;

import dev.radiograph.Entity;
import dev.radiograph.context.SegmentContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.AccessMode;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps the current entity on the Vert.x context, in Vert.x's context-local storage, so that it
 * follows the work of one request wherever Vert.x runs it: handlers, {@code Future} callbacks,
 * timers, {@code executeBlocking} and HTTP/SQL client callbacks all run on the request's
 * (duplicated) context. Off any Vert.x context (a thread of the application's own), the entity is
 * kept in a thread local, as by the default context.
 *
 * <p>Every recorder built without a context of its own gets one while this module is on the class
 * path ({@link VertxSegmentContextProvider}):
 *
 * <pre>{@code
 * Recorder recorder = Recorder.builder().tracingName("orders").build();
 * // same as RadiographVertx.recorderBuilder()..., or .segmentContext(VertxSegmentContext.create())
 * }</pre>
 *
 * <p>RATIONALE: a Vert.x event loop serves many requests in turn on one thread, so a thread local
 * would hand one request's segment to the next request's callback; the request's duplicated
 * context is the unit Vert.x itself gives each request, and it is what the Vert.x tracing SPI
 * implementations of OpenTelemetry and Zipkin keep their span on. Work of one request that runs
 * concurrently on its context (a parallel {@code executeBlocking}) shares the one slot, as it does
 * with those tracers; sequential work, which is the usual shape, sees a consistent current entity.
 */
public final class VertxSegmentContext implements SegmentContext {
  private static final Logger LOG = System.getLogger(VertxSegmentContext.class.getName());
  private static final AtomicBoolean LOGGED_LATE_REGISTRATION = new AtomicBoolean();

  // One lookup per call finds both the thread's own entity (used off Vert.x) and the context
  // that the tracer has pinned while it works for a context other than the thread's.
  private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

  private VertxSegmentContext() {
    ContextLocals.register();
  }

  /** A new context; a recorder needs one. */
  public static VertxSegmentContext create() {
    return new VertxSegmentContext();
  }

  @Override
  public Entity current() {
    Slot slot = slots.get();
    Context context = slot.pinned != null ? slot.pinned : Vertx.currentContext();
    if (context == null) {
      return slot.entity;
    }
    try {
      return ContextLocals.ENTITY.get(context, AccessMode.CONCURRENT);
    } catch (IllegalArgumentException e) {
      registeredTooLate();
      return slot.entity;
    }
  }

  @Override
  public void set(Entity entity) {
    Slot slot = slots.get();
    Context context = slot.pinned != null ? slot.pinned : Vertx.currentContext();
    if (context == null) {
      slot.entity = entity;
      return;
    }
    try {
      ContextLocals.ENTITY.put(context, AccessMode.CONCURRENT, entity);
    } catch (IllegalArgumentException e) {
      registeredTooLate();
      slot.entity = entity;
    }
  }

  /** The entity current on {@code context}, or {@code null}: what its callbacks will see. */
  static Entity entityOn(Context context) {
    try {
      return ContextLocals.ENTITY.get(context, AccessMode.CONCURRENT);
    } catch (IllegalArgumentException e) {
      registeredTooLate();
      return null;
    }
  }

  /**
   * Calls {@code work} with {@code context} standing for the thread's current Vert.x context.
   * Vert.x calls its tracer on the connection's thread, where the current context may be another
   * than the request's; core's tracing helpers read and write "the current entity", and this
   * points them at the request's context without touching Vert.x's own dispatch state.
   */
  <T> T callOn(Context context, Supplier<T> work) {
    Slot slot = slots.get();
    Context previous = slot.pinned;
    slot.pinned = context;
    try {
      return work.get();
    } finally {
      slot.pinned = previous;
    }
  }

  /** {@link #callOn} for work without a result. */
  void runOn(Context context, Runnable work) {
    callOn(context, () -> {
      work.run();
      return null;
    });
  }

  private static void registeredTooLate() {
    if (LOGGED_LATE_REGISTRATION.compareAndSet(false, true)) {
      LOG.log(Level.ERROR, "Radiograph: this Vert.x instance was built before radiograph-vertx registered its"
          + " context storage (was the jar added to the class path later?); the current segment is kept in a"
          + " thread local instead, and is lost across callbacks");
    }
  }

  private static final class Slot {
    Entity entity;
    Context pinned;
  }
}
