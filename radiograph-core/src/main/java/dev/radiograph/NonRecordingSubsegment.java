package dev.radiograph;

/**
 * A subsegment handle that records nothing: every subsegment of an unsampled request (one shared
 * handle, so beginning one allocates nothing), or one refused because a bound was reached. It
 * stands in for its owner: trace id, id and trace header are the owner's, so calls made inside
 * it still propagate the trace.
 */
final class NonRecordingSubsegment extends NonRecordingEntity implements Subsegment {
  // One field on purpose: the shared handle of every unsampled request stays 16 bytes.
  private final Entity owner;

  NonRecordingSubsegment(Entity owner) {
    this.owner = owner;
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
    return owner.segment();
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
    recorderOf(owner).endSubsegment(this);
  }

  /** The recorder of the request this handle belongs to, found through its owners. */
  private static Recorder recorderOf(Entity owner) {
    Entity entity = owner;
    while (entity instanceof NonRecordingSubsegment) {
      entity = ((NonRecordingSubsegment) entity).owner;
    }
    return entity instanceof NonRecordingSegment
        ? ((NonRecordingSegment) entity).recorder
        : ((RecordingEntity) entity).recorder;
  }

  @Override
  public void setNamespace(String namespace) {}

  @Override
  public String namespace() {
    return null;
  }
}
