package dev.radiograph.context;

import dev.radiograph.Entity;
import dev.radiograph.EntityListener;
import dev.radiograph.TraceId;
import dev.radiograph.config.RadiographConfig;
import dev.radiograph.Recorder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * <p>Two ways to keep the map up to date. Where the logging backend offers a hook that runs just
 * before a line is logged ({@link #installLogTimeHook}: Logback, Log4j 2), the ids are written
 * then, from the recorder's current entity, and only removed eagerly when a thread's work ends:
 * a request that logs nothing pays almost nothing, and a line is right even where the current
 * entity changes without Radiograph being called (a Vert.x event loop running another request's
 * callback). Without such a hook, they are written at every change of the current entity.
 *
 * <p>RATIONALE: writing at every change (eight per request with three subsegments) costs about
 * 100 ns and 250 bytes each through Logback's MDC; at log time the cost moves to the lines
 * actually written. {@link #write} does no work when the entity did not change, formats a trace's
 * ids once per thread and keeps the strings of the entity it left (a subsegment's end returns to
 * its parent, whose strings are then reused).
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
  // One per thread for all writers, because they share the thread's map: it shows one writer's
  // entity at a time (several recorders in one JVM each have a writer).
  private static final ThreadLocal<Written> WRITTEN = ThreadLocal.withInitial(Written::new);
  private volatile Recorder recorder; // set when the recorder has started
  private volatile boolean atLogTime; // a log-time hook is installed: write when a line is logged

  /** The writers whose backend calls {@link #refreshAtLogTime} before each line. */
  private static final CopyOnWriteArrayList<LogContextWriter> AT_LOG_TIME = new CopyOnWriteArrayList<>();

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
  public final void onRecorderStarted(Recorder recorder) {
    this.recorder = recorder;
    boolean installed;
    try {
      installed = installLogTimeHook();
    } catch (RuntimeException | LinkageError e) {
      installed = false; // no usable backend hook: write at every change instead
    }
    atLogTime = installed;
    if (installed) {
      AT_LOG_TIME.add(this);
    }
  }

  @Override
  public final void onRecorderClosed(Recorder recorder) {
    AT_LOG_TIME.remove(this);
  }

  /**
   * Installs the logging backend's hook that calls {@link #refreshAtLogTime} (or reads
   * {@link #contextDataAtLogTime}) just before each line is logged; true when it is in place. By
   * default there is none, and the ids are written at every change of the current entity.
   */
  protected boolean installLogTimeHook() {
    return false;
  }

  /** Whether {@code className} can be loaded by {@code owner}'s class loader: for an optional backend. */
  protected static boolean isPresent(String className, Class<?> owner) {
    try {
      Class.forName(className, false, owner.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public final void onCurrentChanged(Entity current) {
    if (!atLogTime) {
      write(current);
    } else if (current == null) {
      // The thread's work is over: no key stays behind, whether a line follows or not, and no
      // finished entity is held by a pooled thread.
      Written state = WRITTEN.get();
      if (state.owner == this && state.entity != null) {
        write(null);
      }
      if (state.dataOwner == this) {
        state.dataOwner = null;
        state.dataEntity = null;
        state.data = null;
      }
    }
  }

  /**
   * Brings the calling thread's map up to date with each log-time writer's recorder, for a line
   * about to be logged. For logging backends' hooks; never throws.
   */
  public static void refreshAtLogTime() {
    for (LogContextWriter writer : AT_LOG_TIME) {
      Entity current = writer.recordersCurrentEntity();
      if (current != null) {
        writer.write(current); // the first recorder with work on this thread names the line
        return;
      }
    }
    Written state = WRITTEN.get();
    if (state.owner != null && state.entity != null) {
      state.owner.write(null);
    }
  }

  /**
   * The keys and ids of the current entity, for a backend that takes a line's context from
   * providers rather than from a thread's map (Log4j 2's {@code ContextDataProvider}): empty when
   * nothing is current. The map is kept per thread and entity, so a line costs no allocation.
   */
  public static Map<String, String> contextDataAtLogTime() {
    for (LogContextWriter writer : AT_LOG_TIME) {
      Entity current = writer.recordersCurrentEntity();
      if (current != null) {
        return writer.contextData(current);
      }
    }
    return Map.of();
  }

  /** What this writer's recorder has current on the calling thread, or null (none, or not started). */
  private Entity recordersCurrentEntity() {
    Recorder source = recorder;
    return source != null ? source.currentEntity() : null;
  }

  private Map<String, String> contextData(Entity current) {
    Written state = WRITTEN.get();
    if (state.dataEntity != current || state.dataOwner != this) {
      Map<String, String> data = new LinkedHashMap<>(4);
      String id = current.id();
      TraceId traceId = current.traceId();
      if (xrayTraceIdKey != null) {
        data.put(xrayTraceIdKey, traceId + "@" + id);
      }
      if (traceIdKey != null) {
        data.put(traceIdKey, traceId.toW3C());
      }
      if (spanIdKey != null) {
        data.put(spanIdKey, id);
      }
      state.data = Collections.unmodifiableMap(data);
      state.dataEntity = current;
      state.dataOwner = this;
    }
    return state.data;
  }

  /**
   * Makes the calling thread's map show {@code current}'s ids, or none when {@code current} is
   * null. Never throws.
   */
  public final void write(Entity current) {
    Written state = WRITTEN.get();
    if (state.owner != this) {
      if (current == null) {
        return; // nothing of this writer's is shown
      }
      if (state.owner != null && state.entity != null) {
        state.owner.removeQuietly(); // another writer's keys: this one takes the map over
      }
      state.forget();
      state.owner = this;
    }
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
      removeQuietly();
    }
  }

  private void removeQuietly() {
    try {
      removeAll();
    } catch (RuntimeException ignored) {
      // a failing backend: nothing more can be done
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
    String id = spanIdKey != null || xrayTraceIdKey != null ? current.id() : null;
    String xray;
    if (current == state.previous) {
      xray = state.previousXray;
    } else {
      xray = state.xrayPrefix != null ? state.xrayPrefix.concat(id) : null;
    }
    state.previous = state.entity;
    state.previousXray = state.xray;
    state.entity = current;
    state.xray = xray;
    if (xrayTraceIdKey != null) {
      map.put(xrayTraceIdKey, xray);
    }
    if (spanIdKey != null) {
      map.put(spanIdKey, id);
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
    LogContextWriter owner; // whose keys the map shows (null: none yet)
    Entity dataEntity; // the entity of the context data last handed to a provider
    LogContextWriter dataOwner;
    Map<String, String> data;

    void forget() {
      entity = null;
      xray = null;
      traceId = null;
      w3cTraceId = null;
      xrayPrefix = null;
      previous = null;
      previousXray = null;
      owner = null;
      dataEntity = null;
      dataOwner = null;
      data = null;
    }
  }
}
