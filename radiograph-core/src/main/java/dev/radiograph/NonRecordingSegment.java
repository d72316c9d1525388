package dev.radiograph;

import dev.radiograph.internal.Hex;

/**
 * A segment that records nothing: the request was not sampled, or the SDK is disabled. It still
 * carries the trace id and the decision so that calls made during the request propagate them
 * downstream. Deliberately tiny (a few primitive fields), because an unsampled request should
 * cost almost nothing.
 */
final class NonRecordingSegment implements Segment {
  final Recorder recorder;
  private final TraceId traceId;
  private final long id;
  private final long parentId;
  private final TraceHeader.Sampled sampled;
  private final String lineage;
  private NonRecordingSubsegment child; // created on first use, then shared

  NonRecordingSegment(Recorder recorder, TraceId traceId, long id, long parentId,
      TraceHeader.Sampled sampled, String lineage) {
    this.recorder = recorder;
    this.traceId = traceId;
    this.id = id;
    this.parentId = parentId;
    this.sampled = sampled;
    this.lineage = lineage;
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

  @Override
  public String name() {
    return "";
  }

  @Override
  public String id() {
    return Hex.id(id);
  }

  long idValue() {
    return id;
  }

  @Override
  public TraceId traceId() {
    return traceId;
  }

  @Override
  public boolean isSampled() {
    return false;
  }

  @Override
  public Segment segment() {
    return this;
  }

  @Override
  public boolean isInProgress() {
    return false;
  }

  @Override
  public String parentId() {
    return parentId == 0 ? null : Hex.id(parentId);
  }

  @Override
  public TraceHeader traceHeader() {
    return TraceHeader.builder()
        .root(traceId)
        .parentId(id)
        .sampled(sampled)
        .lineage(lineage)
        .build();
  }

  @Override
  public void close() {
    recorder.endSegment(this);
  }

  // Everything below records nothing, on purpose.

  @Override
  public void setUser(String user) {}

  @Override
  public void setOrigin(String origin) {}

  @Override
  public void putService(String key, Object value) {}

  @Override
  public void putAnnotation(String key, String value) {}

  @Override
  public void putAnnotation(String key, Number value) {}

  @Override
  public void putAnnotation(String key, boolean value) {}

  @Override
  public void putMetadata(String key, Object value) {}

  @Override
  public void putMetadata(String namespace, String key, Object value) {}

  @Override
  public void putHttp(String key, Object value) {}

  @Override
  public void putSql(String key, Object value) {}

  @Override
  public void putAws(String key, Object value) {}

  @Override
  public void addException(Throwable exception) {}

  @Override
  public void addException(Throwable exception, boolean remote) {}

  @Override
  public void setError(boolean error) {}

  @Override
  public void setFault(boolean fault) {}

  @Override
  public void setThrottle(boolean throttle) {}

  @Override
  public boolean isError() {
    return false;
  }

  @Override
  public boolean isFault() {
    return false;
  }

  @Override
  public boolean isThrottle() {
    return false;
  }

  @Override
  public String toString() {
    return "NonRecordingSegment{trace=" + traceId + ", sampled=" + sampled + '}';
  }
}
