package dev.radiograph;

/**
 * The subsegment handle of a request that records nothing. It stands for every subsegment of
 * that request, so beginning one allocates nothing; its trace header is the segment's.
 */
final class NonRecordingSubsegment implements Subsegment {
  private final NonRecordingSegment segment;

  NonRecordingSubsegment(NonRecordingSegment segment) {
    this.segment = segment;
  }

  @Override
  public String name() {
    return "";
  }

  @Override
  public String id() {
    return segment.id();
  }

  @Override
  public TraceId traceId() {
    return segment.traceId();
  }

  @Override
  public boolean isSampled() {
    return false;
  }

  @Override
  public Segment segment() {
    return segment;
  }

  @Override
  public Entity parent() {
    return segment;
  }

  @Override
  public boolean isInProgress() {
    return false;
  }

  @Override
  public TraceHeader traceHeader() {
    return segment.traceHeader();
  }

  @Override
  public void close() {}

  @Override
  public void setNamespace(String namespace) {}

  @Override
  public String namespace() {
    return null;
  }

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
}
