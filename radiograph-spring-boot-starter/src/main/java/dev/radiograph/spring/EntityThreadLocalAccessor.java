package dev.radiograph.spring;

import dev.radiograph.Entity;
import dev.radiograph.Radiograph;
import dev.radiograph.Recorder;
import io.micrometer.context.ThreadLocalAccessor;
import reactor.core.publisher.Hooks;
import reactor.util.context.ContextView;

/**
 * Carries the current entity between a Reactor {@code Context} and the recorder's context, through
 * Micrometer's context-propagation library: the mechanism Spring's own observations use. With
 * {@code Hooks.enableAutomaticContextPropagation()} (which the starter turns on in a reactive
 * application), Reactor makes the entity found under {@link #KEY} current around each operator,
 * on whichever thread it runs (a Netty event loop, after {@code publishOn}, {@code subscribeOn},
 * {@code flatMap}, {@code delayElement}), and restores what was current afterwards. So
 * {@code Radiograph.currentSegment()} answers the request's segment in plain {@code Mono}/{@code Flux}
 * code.
 *
 * <p>Registered with the {@code ContextRegistry} as a service ({@code META-INF/services}), so it
 * is there as soon as context-propagation is used, in any application.
 *
 * <p>RATIONALE: values are set through {@link Recorder#setCurrentEntity} of the global recorder
 * (the one the starter installs), not the bare context, so that entity listeners (log
 * correlation's MDC) follow each change.
 */
public final class EntityThreadLocalAccessor implements ThreadLocalAccessor<Entity> {
  /** The key of the current entity in a Reactor {@code Context}. */
  public static final String KEY = "dev.radiograph.entity";

  /** For the service loader. */
  public EntityThreadLocalAccessor() {}

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public Entity getValue() {
    return Radiograph.recorder().currentEntity();
  }

  @Override
  public void setValue(Entity value) {
    Radiograph.recorder().setCurrentEntity(value);
  }

  @Override
  public void setValue() {
    Radiograph.recorder().setCurrentEntity(null);
  }

  /**
   * The entity {@code context} carries, else the recorder's current one (code that is not in a
   * traced reactive chain: a servlet request thread calling a {@code WebClient}); null when none.
   */
  static Entity current(ContextView context, Recorder recorder) {
    Object entity = context.getOrDefault(KEY, null);
    return entity instanceof Entity ? (Entity) entity : recorder.currentEntity();
  }

  /**
   * Turns on Reactor's automatic context propagation, so that this accessor runs around every
   * operator. Idempotent.
   */
  static void enableAutomaticPropagation() {
    Hooks.enableAutomaticContextPropagation();
  }
}
