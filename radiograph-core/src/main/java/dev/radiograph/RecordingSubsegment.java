package dev.radiograph;

/** A sampled subsegment, nested in a segment or another subsegment. */
final class RecordingSubsegment extends RecordingEntity implements Subsegment {

  private final RecordingSegment segment;
  private final RecordingEntity parent;
  private String namespace;

  RecordingSubsegment(Recorder recorder, String name, RecordingEntity parent) {
    super(recorder, name);
    this.parent = parent;
    this.segment = parent.segment();
  }

  @Override
  public RecordingSegment segment() {
    return segment;
  }

  @Override
  public RecordingEntity parent() {
    return parent;
  }

  @Override
  public TraceId traceId() {
    return segment.traceId();
  }

  @Override
  public void setNamespace(String namespace) {
    if (!NAMESPACE_REMOTE.equals(namespace) && !NAMESPACE_AWS.equals(namespace)) {
      EntityRules.logOnce("namespace", String.valueOf(namespace),
          "Radiograph: dropped namespace '" + namespace + "': X-Ray accepts 'remote' or 'aws'");
      return;
    }
    synchronized (this) {
      this.namespace = namespace;
    }
  }

  @Override
  public synchronized String namespace() {
    return namespace;
  }

  /** The namespace, for {@link DocumentWriter}, which holds this subsegment's lock. */
  String namespaceLocked() {
    return namespace;
  }

  @Override
  public void close() {
    recorder.endSubsegment(this);
  }
}
