package dev.radiograph;

import dev.radiograph.internal.Hex;
import dev.radiograph.sampling.SamplingDecision;

/**
 * A segment that records nothing: the request was not sampled, or the SDK is disabled. It still
 * carries the trace id and the decision so that calls made during the request propagate them
 * downstream, and it notes error/fault/throttle so that an adaptive sampler can count anomalies.
 *
 * <p>RATIONALE: an unsampled request should cost almost nothing, so this is one small object: a
 * new trace's id is made only if something asks for it (most unsampled requests call nothing
 * downstream), the incoming header is kept by reference, and the subsegment handle is created on
 * first use.
 */
final class NonRecordingSegment extends NonRecordingEntity implements Segment {
  private static final byte ERROR = 1;
  private static final byte FAULT = 2;
  private static final byte THROTTLE = 4;

  final Recorder recorder;
  private final TraceHeader incoming; // never null; may be empty
  private final int startEpochSeconds; // for a trace id made on first use (32 bits, as in the id)
  private final long id;
  private final SamplingDecision decision; // null when the upstream decided
  private final boolean passThrough; // disabled SDK: forward the upstream decision untouched
  private TraceId traceId; // guarded by this when made on first use
  private NonRecordingSubsegment child; // made on first use, then shared
  private volatile byte flags;
  private boolean ended; // guarded by this

  /** A segment for a new trace (no root upstream). */
  NonRecordingSegment(Recorder recorder, TraceHeader incoming, SamplingDecision decision) {
    this.recorder = recorder;
    this.incoming = incoming;
    this.startEpochSeconds = (int) (System.currentTimeMillis() / 1000);
    this.id = Ids.next();
    this.decision = decision;
    this.passThrough = false;
  }

  /** A segment that continues the trace in {@code incoming}, which has a root. */
  NonRecordingSegment(Recorder recorder, TraceHeader incoming, SamplingDecision decision, boolean passThrough) {
    this.recorder = recorder;
    this.incoming = incoming;
    this.traceId = incoming.root();
    this.startEpochSeconds = 0;
    long upstreamParent = incoming.parentIdValue();
    // Disabled: downstream calls attach to our caller, as if this service were not there.
    this.id = passThrough && upstreamParent != 0 ? upstreamParent : Ids.next();
    this.decision = decision;
    this.passThrough = passThrough;
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

  /** Marks the segment ended; false when it already was (so the sampler hears of it once). */
  synchronized boolean markEnded() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  /** Whether the request errored, faulted or was throttled. */
  boolean isAnomaly() {
    return flags != 0;
  }

  @Override
  public String id() {
    return Hex.id(id);
  }

  @Override
  public synchronized TraceId traceId() {
    if (traceId == null) {
      traceId = TraceId.create(Integer.toUnsignedLong(startEpochSeconds));
    }
    return traceId;
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
    if (passThrough) {
      TraceHeader.Sampled upstream = incoming.sampled();
      sampled = upstream == TraceHeader.Sampled.REQUESTED ? TraceHeader.Sampled.UNKNOWN : upstream;
    }
    return incoming.derive(traceId(), id, sampled);
  }

  @Override
  public void close() {
    recorder.endSegment(this);
  }

  private void flag(byte flag) {
    flags |= flag; // races only ever add bits that another writer also adds; good enough for counts
  }

  @Override
  public void putHttp(String key, Object value) {
    if ("status".equals(key) && value instanceof Number) {
      int status = ((Number) value).intValue();
      if (status == 429) {
        flag((byte) (THROTTLE | ERROR));
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
    return (flags & ERROR) != 0;
  }

  @Override
  public boolean isFault() {
    return (flags & FAULT) != 0;
  }

  @Override
  public boolean isThrottle() {
    return (flags & THROTTLE) != 0;
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
}
