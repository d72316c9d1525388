package dev.radiograph;

/**
 * The root of a trace's work in one service: usually one incoming request. Begun with
 * {@link Recorder#beginSegment(String)} or by an integration.
 */
public sealed interface Segment extends Entity permits RecordingSegment, NonRecordingSegment {
  /** Sets the end user of the request (indexed by X-Ray as {@code user}). */
  void setUser(String user);

  /** Sets the type of AWS resource running the service, e.g. {@code AWS::EC2::Instance}. */
  void setOrigin(String origin);

  /** Sets a field of the {@code service} block, e.g. {@code version}. */
  void putService(String key, Object value);

  /** The upstream caller's id from the incoming trace header, or {@code null}. */
  String parentId();
}
