package dev.radiograph;

/**
 * A timed piece of work inside a segment: a call to a database, an HTTP service, an AWS API, or
 * any block of code. Begun with {@link Recorder#beginSubsegment(String)} or
 * {@link Recorder#trace(String, TracedSupplier)}.
 */
public sealed interface Subsegment extends Entity permits RecordingSubsegment, NonRecordingSubsegment {
  /** Namespace of a call to an AWS service. */
  String NAMESPACE_AWS = "aws";
  /** Namespace of a call to another downstream service (HTTP, SQL). */
  String NAMESPACE_REMOTE = "remote";

  /** Sets the namespace: {@link #NAMESPACE_REMOTE} or {@link #NAMESPACE_AWS}; others are dropped. */
  void setNamespace(String namespace);

  /** The namespace, or {@code null}. */
  String namespace();

  /** The entity this subsegment is nested in. */
  Entity parent();
}
