package dev.radiograph;

/**
 * A segment or subsegment: one timed piece of work in a trace. Every method is safe to call
 * from any thread and never throws; invalid input (an annotation key X-Ray would reject, a
 * reserved metadata namespace) is dropped with one log line, so that tracing never breaks the
 * application.
 *
 * <p>Entities are {@link AutoCloseable}: closing one ends it, so try-with-resources times a
 * block. An entity that is not sampled records nothing but still carries the trace id for
 * propagation ({@link #isSampled()} is false).
 *
 * <p>Sealed: every entity is one the recorder made, so it never meets a foreign implementation
 * and needs no fallbacks for one.
 */
public sealed interface Entity extends AutoCloseable
    permits Segment, Subsegment, RecordingEntity, NonRecordingEntity {
  /** The name, as sanitized to X-Ray's rules. */
  String name();

  /** The 16-hex-digit id. */
  String id();

  /** The trace this entity belongs to. */
  TraceId traceId();

  /** Whether this entity records and will be sent. */
  boolean isSampled();

  /**
   * Whether what is put on this entity is kept: true when sampled, and also for a request that
   * keep-on-anomaly capture ({@code capture-anomalies}) records in memory without having sampled
   * it, which is sent if it turns out to fail or be slow. Integrations fill in details (the
   * {@code http} and {@code sql} blocks, subsegments) when this is true, so that a trace kept for
   * its anomaly is as complete as a sampled one; {@link #isSampled()} is the sampling decision
   * that goes downstream.
   */
  boolean isRecording();

  /** The segment at the root of this entity's tree (itself for a segment). */
  Segment segment();

  /** Whether {@link #close()} (or the recorder's end method) has not been called yet. */
  boolean isInProgress();

  /**
   * Adds an indexed annotation. Keys must be {@code [A-Za-z0-9_]}, up to 500 characters; strings
   * are cut at 1,000 characters; at most 50 per entity.
   */
  void putAnnotation(String key, String value);

  /** Adds a numeric annotation. Non-finite values are dropped. */
  void putAnnotation(String key, Number value);

  /** Adds a boolean annotation. */
  void putAnnotation(String key, boolean value);

  /** Adds metadata in the {@code default} namespace. */
  void putMetadata(String key, Object value);

  /**
   * Adds metadata (any JSON-like value: maps, lists, arrays, strings, numbers, booleans, records)
   * in {@code namespace}. Namespaces starting with {@code AWS.} are reserved for AWS and dropped.
   */
  void putMetadata(String namespace, String key, Object value);

  /**
   * Sets a field of the {@code http} block. Request keys: {@code method}, {@code url},
   * {@code user_agent}, {@code client_ip}, {@code x_forwarded_for}, {@code traced}; response
   * keys: {@code status}, {@code content_length}. Setting {@code status} also applies X-Ray's
   * status mapping: 429 marks throttle and error, other 4xx error, 5xx fault.
   */
  void putHttp(String key, Object value);

  /**
   * Sets a field of the {@code sql} block: {@code url}, {@code connection_string},
   * {@code sanitized_query}, {@code database_type}, {@code database_version},
   * {@code driver_version}, {@code user}, {@code preparation}.
   */
  void putSql(String key, Object value);

  /** Sets a field of the {@code aws} block (any JSON-like value). */
  void putAws(String key, Object value);

  /** Records an exception raised in this entity's work and marks it as a fault. */
  void addException(Throwable exception);

  /**
   * Records an exception; {@code remote} tells that it was raised by a downstream service (its
   * answer), not by this code.
   */
  void addException(Throwable exception, boolean remote);

  /**
   * Records an exception as {@link #addException(Throwable, boolean)} does, shown with
   * {@code type} instead of its class name: the error a downstream service answered with (an AWS
   * error code such as {@code ResourceNotFoundException}), which says more than the client's
   * exception class. {@code null} keeps the class name; the exception's causes keep theirs.
   */
  void addException(Throwable exception, boolean remote, String type);

  /** Marks a client error (4xx). */
  void setError(boolean error);

  /** Marks a server error (5xx, an exception). */
  void setFault(boolean fault);

  /** Marks throttling (429). */
  void setThrottle(boolean throttle);

  boolean isError();

  boolean isFault();

  boolean isThrottle();

  /**
   * The header that a call made from inside this entity sends downstream: this trace's root, this
   * entity's id as parent, and the sampling decision.
   */
  TraceHeader traceHeader();

  /** Ends this entity now. Ending twice is ignored. Never throws. */
  @Override
  void close();
}
