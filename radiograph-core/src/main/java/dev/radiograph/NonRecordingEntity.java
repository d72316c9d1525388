package dev.radiograph;

/**
 * What the entities that record nothing share: every data method is a no-op, on purpose, so that
 * code written for a sampled request runs unchanged and costs nothing when it is not sampled.
 */
abstract sealed class NonRecordingEntity implements Entity
    permits NonRecordingSegment, NonRecordingSubsegment {
  @Override
  public final String name() {
    return "";
  }

  @Override
  public final boolean isRecording() {
    return false;
  }

  @Override
  public final boolean isSampled() {
    return false;
  }

  @Override
  public final boolean isInProgress() {
    return false;
  }

  @Override
  public final void putAnnotation(String key, String value) {}

  @Override
  public final void putAnnotation(String key, Number value) {}

  @Override
  public final void putAnnotation(String key, boolean value) {}

  @Override
  public final void putMetadata(String key, Object value) {}

  @Override
  public final void putMetadata(String namespace, String key, Object value) {}

  @Override
  public final void putSql(String key, Object value) {}

  @Override
  public final void putAws(String key, Object value) {}

  @Override
  public void putHttp(String key, Object value) {}

  @Override
  public void addException(Throwable exception) {}

  @Override
  public void addException(Throwable exception, boolean remote) {}

  @Override
  public void addException(Throwable exception, boolean remote, String type) {
    addException(exception, remote);
  }

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
