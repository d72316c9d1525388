package dev.radiograph;

import dev.radiograph.internal.Hex;
import dev.radiograph.sampling.SamplingDecision;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A segment that records nothing: the request was not sampled, or the SDK is disabled. It still
 * carries the trace id and the decision so that calls made during the request propagate them
 * downstream, and it notes error/fault/throttle so that an adaptive sampler can count anomalies.
 *
 * <p>RATIONALE: an unsampled request should cost almost nothing, so this is one small object: the
 * ids are made only if something asks for them (most unsampled requests call nothing
 * downstream), the incoming header is kept by reference, the flags and the ended mark share one
 * int, and the subsegment handle (16 bytes) is made on first use and shared. A new
 * trace's id is therefore made when first asked for, from that moment's clock: its seconds may be
 * a little later than the request's start, which nothing depends on, since the trace records
 * nothing.
 */
final class NonRecordingSegment extends NonRecordingEntity implements Segment {
  private static final int ERROR = 1;
  private static final int FAULT = 2;
  private static final int THROTTLE = 4;
  private static final int ANOMALY = ERROR | FAULT | THROTTLE;
  private static final int ENDED = 8;
  private static final int PASS_THROUGH = 16; // disabled SDK: forward the upstream decision untouched

  private static final VarHandle STATE;
  private static final VarHandle IDENTITY;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(NonRecordingSegment.class, "state", int.class);
      IDENTITY = lookup.findVarHandle(NonRecordingSegment.class, "identity", Identity.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Recorder recorder;
  private final TraceHeader incoming; // never null; may be empty
  private final SamplingDecision decision; // null when the upstream decided
  private volatile Identity identity; // made on first use
  private NonRecordingSubsegment child; // made on first use, then shared
  private volatile int state;

  /**
   * A segment that continues the trace in {@code incoming} when it has a root, else starts one.
   * {@code passThrough} (a disabled SDK) makes it invisible: downstream calls name the caller as
   * their parent and carry its decision.
   */
  NonRecordingSegment(Recorder recorder, TraceHeader incoming, SamplingDecision decision, boolean passThrough) {
    this.recorder = recorder;
    this.incoming = incoming;
    this.decision = decision;
    this.state = passThrough && incoming.hasRoot() ? PASS_THROUGH : 0;
  }

  /** The one subsegment handle that every {@code beginSubsegment} of this request returns. */
  NonRecordingSubsegment child() {
    NonRecordingSubsegment c = child;
    if (c == null) {
      c = new NonRecordingSubsegment(this);
      child = c; // a benign race: two handles are equivalent
    }
    return c;
  }

  SamplingDecision decision() {
    return decision;
  }

  /** Marks the segment ended; false when it already was (so it is reported once). */
  boolean markEnded() {
    while (true) {
      int current = state;
      if ((current & ENDED) != 0) {
        return false;
      }
      if (STATE.compareAndSet(this, current, current | ENDED)) {
        return true;
      }
    }
  }

  /** Whether the request errored, faulted or was throttled. */
  boolean isAnomaly() {
    return (state & ANOMALY) != 0;
  }

  /** This segment's ids, made on first use (and by one thread only). */
  private Identity identity() {
    Identity ids = identity;
    if (ids == null) {
      ids = new Identity(incoming, (state & PASS_THROUGH) != 0);
      if (!IDENTITY.compareAndSet(this, null, ids)) {
        ids = identity;
      }
    }
    return ids;
  }

  @Override
  public String id() {
    return Hex.id(identity().id);
  }

  @Override
  public TraceId traceId() {
    return identity().traceId;
  }

  @Override
  public Segment segment() {
    return this;
  }

  @Override
  public String parentId() {
    return incoming.parentId();
  }

  @Override
  public TraceHeader traceHeader() {
    TraceHeader.Sampled sampled = TraceHeader.Sampled.NOT_SAMPLED;
    if ((state & PASS_THROUGH) != 0) {
      TraceHeader.Sampled upstream = incoming.sampled();
      sampled = upstream == TraceHeader.Sampled.REQUESTED ? TraceHeader.Sampled.UNKNOWN : upstream;
    }
    Identity ids = identity();
    return incoming.derive(ids.traceId, ids.id, sampled);
  }

  @Override
  public void close() {
    recorder.endSegment(this);
  }

  private void flag(int flag) {
    while (true) {
      int current = state;
      if ((current & flag) == flag || STATE.compareAndSet(this, current, current | flag)) {
        return;
      }
    }
  }

  @Override
  public void putHttp(String key, Object value) {
    if ("status".equals(key) && value instanceof Number) {
      int status = ((Number) value).intValue();
      if (status == 429) {
        flag(THROTTLE | ERROR);
      } else if (status >= 400 && status < 500) {
        flag(ERROR);
      } else if (status >= 500 && status < 600) {
        flag(FAULT);
      }
    }
  }

  @Override
  public void addException(Throwable exception) {
    flag(FAULT);
  }

  @Override
  public void addException(Throwable exception, boolean remote) {
    flag(FAULT);
  }

  @Override
  public void setError(boolean error) {
    if (error) {
      flag(ERROR);
    }
  }

  @Override
  public void setFault(boolean fault) {
    if (fault) {
      flag(FAULT);
    }
  }

  @Override
  public void setThrottle(boolean throttle) {
    if (throttle) {
      flag(THROTTLE);
    }
  }

  @Override
  public boolean isError() {
    return (state & ERROR) != 0;
  }

  @Override
  public boolean isFault() {
    return (state & FAULT) != 0;
  }

  @Override
  public boolean isThrottle() {
    return (state & THROTTLE) != 0;
  }

  @Override
  public void setUser(String user) {}

  @Override
  public void setOrigin(String origin) {}

  @Override
  public void putService(String key, Object value) {}

  @Override
  public String toString() {
    return "NonRecordingSegment{trace=" + traceId() + '}';
  }

  /** The trace id and this segment's own id, made together when first needed. */
  private static final class Identity {
    final TraceId traceId;
    final long id;

    Identity(TraceHeader incoming, boolean passThrough) {
      TraceId root = incoming.root();
      this.traceId = root != null ? root : TraceId.create();
      long upstreamParent = incoming.parentIdValue();
      // Disabled: downstream calls attach to our caller, as if this service were not there.
      this.id = passThrough && upstreamParent != 0 ? upstreamParent : Ids.next();
    }
  }
}
