package dev.radiograph.context;

import dev.radiograph.Entity;
import dev.radiograph.EntityListener;
import dev.radiograph.TraceId;
import dev.radiograph.config.RadiographConfig;
import java.util.Objects;

/**
 * Keeps one thread's logging context map (SLF4J's MDC, Log4j 2's {@code ThreadContext}) in step
 * with the thread's current entity: the ids under {@link LogCorrelationKeys}, written when the
 * entity changes and removed when there is none. Only those keys are touched; what else the
 * application put in the map stays.
 *
 * <p>The base of the log correlation listeners (radiograph-slf4j's and radiograph-log4j2's), so that
 * both format the same ids the same way without either depending on the other's logging API; it
 * takes part in a recorder unless {@code log-correlation=false}.
 *
 * <p>RATIONALE: {@link #write} runs on every begin, end and context hop, so it does no work when
 * the entity did not change, formats a trace's ids once per thread and keeps the strings of the
 * entity it left (a subsegment's end returns to its parent, whose strings are then reused).
 */
public abstract class LogContextWriter implements EntityListener {
  /** The logging context map of the calling thread. Implementations must not throw. */
  public interface ContextMap {
    /** Puts {@code value} under {@code key} in the calling thread's map. */
    void put(String key, String value);

    /** Removes {@code key} from the calling thread's map. */
    void remove(String key);
  }

  private final String xrayTraceIdKey;
  private final String traceIdKey;
  private final String spanIdKey;
  private final ContextMap map;
  private final ThreadLocal<Written> written = ThreadLocal.withInitial(Written::new);

  /** A writer of {@code keys} into {@code map}. */
  protected LogContextWriter(LogCorrelationKeys keys, ContextMap map) {
    Objects.requireNonNull(keys, "keys");
    this.xrayTraceIdKey = keys.xrayTraceIdKey();
    this.traceIdKey = keys.traceIdKey();
    this.spanIdKey = keys.spanIdKey();
    this.map = Objects.requireNonNull(map, "map");
  }

  /** On unless {@code log-correlation=false}. */
  @Override
  public final boolean isEnabled(RadiographConfig config) {
    return config.logCorrelation();
  }

  @Override
  public final void onCurrentChanged(Entity current) {
    write(current);
  }

  /**
   * Makes the calling thread's map show {@code current}'s ids, or none when {@code current} is
   * null. Never throws.
   */
  public final void write(Entity current) {
    Written state = written.get();
    if (current == state.entity) {
      return;
    }
    try {
      if (current == null) {
        clear(state);
      } else {
        show(state, current);
      }
    } catch (RuntimeException e) {
      // A logging backend that fails must not fail the request; no half-written ids stay behind,
      // and the next change writes afresh.
      state.forget();
      try {
        removeAll();
      } catch (RuntimeException ignored) {
        // nothing more can be done
      }
    }
  }

  private void show(Written state, Entity current) {
    TraceId traceId = current.traceId();
    if (!traceId.equals(state.traceId)) {
      state.traceId = traceId;
      state.w3cTraceId = traceIdKey != null ? traceId.toW3C() : null;
      state.xrayPrefix = xrayTraceIdKey != null ? traceId + "@" : null;
      state.previous = null; // the other trace's strings are of no use any more
      state.previousXray = null;
      if (traceIdKey != null) {
        map.put(traceIdKey, state.w3cTraceId);
      }
    } else if (state.entity == null && traceIdKey != null) {
      map.put(traceIdKey, state.w3cTraceId); // the same trace again after a gap: the key was removed
    }
    String xray;
    if (current == state.previous) {
      xray = state.previousXray;
    } else {
      xray = state.xrayPrefix != null ? state.xrayPrefix.concat(current.id()) : null;
    }
    state.previous = state.entity;
    state.previousXray = state.xray;
    state.entity = current;
    state.xray = xray;
    if (xrayTraceIdKey != null) {
      map.put(xrayTraceIdKey, xray);
    }
    if (spanIdKey != null) {
      map.put(spanIdKey, current.id());
    }
  }

  private void clear(Written state) {
    // The trace's strings are kept (the same trace often comes back to this thread after a hop),
    // but no entity: a pooled thread must not hold on to a finished request's segment.
    state.previous = null;
    state.previousXray = null;
    state.entity = null;
    state.xray = null;
    removeAll();
  }

  private void removeAll() {
    if (xrayTraceIdKey != null) {
      map.remove(xrayTraceIdKey);
    }
    if (traceIdKey != null) {
      map.remove(traceIdKey);
    }
    if (spanIdKey != null) {
      map.remove(spanIdKey);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{xrayTraceId=" + xrayTraceIdKey + ", traceId=" + traceIdKey + ", spanId=" + spanIdKey + '}';
  }

  /** What this thread's map shows, and the strings kept for reuse. */
  private static final class Written {
    Entity entity; // null: none of the keys is in the map
    String xray;
    TraceId traceId; // the trace whose strings are kept, also after the keys were removed
    String w3cTraceId;
    String xrayPrefix;
    Entity previous; // the entity shown before, with its string, for the return from a subsegment
    String previousXray;

    void forget() {
      entity = null;
      xray = null;
      traceId = null;
      w3cTraceId = null;
      xrayPrefix = null;
      previous = null;
      previousXray = null;
    }
  }
}
