package dev.radiograph;

import dev.radiograph.internal.JsonWriter;

/** A sampled subsegment, nested in a segment or another subsegment. */
final class RecordingSubsegment extends RecordingEntity implements Subsegment {
  private static final byte[] TYPE_SUBSEGMENT = JsonWriter.key("type");
  private static final byte[] SUBSEGMENT = "\"subsegment\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TRACE_ID = JsonWriter.key("trace_id");
  private static final byte[] PARENT_ID = JsonWriter.key("parent_id");
  private static final byte[] NAMESPACE = JsonWriter.key("namespace");

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

  @Override
  public void close() {
    recorder.endSubsegment(this);
  }

  @Override
  void writeHeaderFields(JsonWriter w, boolean independent) {
    if (independent) {
      w.asciiName(TYPE_SUBSEGMENT).rawValue(SUBSEGMENT);
      w.asciiName(TRACE_ID).rawValue(segment.quotedTraceId());
      w.asciiName(PARENT_ID).hexIdValue(parent.id);
    }
  }

  @Override
  void writeOwnFields(JsonWriter w, int reduction) {
    if (namespace != null) {
      w.asciiName(NAMESPACE).value(namespace);
    }
  }
}
