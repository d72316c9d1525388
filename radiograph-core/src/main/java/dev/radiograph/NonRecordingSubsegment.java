package dev.radiograph;

/**
 * A subsegment handle that records nothing: every subsegment of an unsampled request (one shared
 * handle, so beginning one allocates nothing), or one refused because a bound was reached. It
 * stands in for its owner: trace id, id and trace header are the owner's, so calls made inside
 * it still propagate the trace.
 */
final class NonRecordingSubsegment extends NonRecordingEntity implements Subsegment {
  private final Recorder recorder;
  private final Entity owner;
  private final Segment segment;

  NonRecordingSubsegment(Recorder recorder, Entity owner, Segment segment) {
    this.recorder = recorder;
    this.owner = owner;
    this.segment = segment;
  }

  @Override
  public String id() {
    return owner.id();
  }

  @Override
  public TraceId traceId() {
    return owner.traceId();
  }

  @Override
  public Segment segment() {
    return segment;
  }

  @Override
  public Entity parent() {
    return owner;
  }

  @Override
  public TraceHeader traceHeader() {
    return owner.traceHeader();
  }

  @Override
  public void close() {
    recorder.endSubsegment(this);
  }

  @Override
  public void setNamespace(String namespace) {}

  @Override
  public String namespace() {
    return null;
  }
}
