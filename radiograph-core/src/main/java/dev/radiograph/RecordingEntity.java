package dev.radiograph;

import dev.radiograph.internal.EpochClock;
import dev.radiograph.internal.Hex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What segments and subsegments that record have in common: timing, flags, annotations,
 * metadata, the http/sql/aws blocks, the cause, and children.
 *
 * <p>Thread safety: every field that changes is guarded by the entity's own monitor. Those locks
 * are per entity, so requests never contend on them; a parent's lock is taken before a child's,
 * never the other way round. Blocks are allocated only when first used, so an entity with two
 * annotations costs two small arrays and nothing else.
 *
 * <p>{@link DocumentWriter} reads the state to write documents, holding the same lock.
 */
abstract sealed class RecordingEntity implements Entity permits RecordingSegment, RecordingSubsegment {
  static final int ERROR = 1;
  static final int FAULT = 2;
  static final int THROTTLE = 4;

  // The end time and the flags change once or twice in an entity's life and are read by the
  // recorder at every end: compare-and-set on volatile fields, not the entity's lock, which costs
  // two atomic operations where this costs one (and a read costs none).
  private static final VarHandle END_MICROS;
  private static final VarHandle FLAGS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      END_MICROS = lookup.findVarHandle(RecordingEntity.class, "endMicros", long.class);
      FLAGS = lookup.findVarHandle(RecordingEntity.class, "flags", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // X-Ray's http and sql blocks have fixed fields: their values live in arrays indexed by these
  // keys (written in this order), which costs a request one small array instead of a map with
  // an entry per field.
  static final String[] HTTP_KEYS = {
    "method", "url", "user_agent", "client_ip", "x_forwarded_for", "traced", // http.request
    "status", "content_length" // http.response
  };
  static final int HTTP_RESPONSE_FROM = 6;
  static final String[] SQL_KEYS = {
    "url", "connection_string", "sanitized_query", "database_type", "database_version",
    "driver_version", "user", "preparation"
  };
  static final int SANITIZED_QUERY = indexOf(SQL_KEYS, "sanitized_query");

  final Recorder recorder;
  final String name;
  final long id;
  final long startMicros;

  volatile long endMicros; // 0 while in progress; set once
  volatile int flags;
  String[] annotationKeys;
  Object[] annotationValues;
  int annotationCount;
  Map<String, Map<String, Object>> metadata;
  Object[] http; // values by HTTP_KEYS index, null when absent
  Object[] sql; // values by SQL_KEYS index, null when absent
  Map<String, Object> aws;
  List<ExceptionRecord> exceptions;
  long causeReference; // an exception recorded elsewhere in the trace, by id
  List<RecordingSubsegment> children;
  // Set under this entity's lock, before the document's children are read; volatile so that
  // childEnded can see "never written" without the lock (see there).
  private volatile boolean written; // serialized into a document at least once
  private boolean writtenEnded; // guarded by this: serialized after it had ended

  RecordingEntity(Recorder recorder, String name) {
    this(recorder, name, Ids.next());
  }

  RecordingEntity(Recorder recorder, String name, long id) {
    this.recorder = recorder;
    this.name = EntityRules.sanitizeName(name);
    this.id = id;
    this.startMicros = EpochClock.nowMicros();
  }

  /** Marks this entity as sent without serializing it (a Lambda facade). */
  final synchronized void markWritten() {
    written = true;
    writtenEnded = endMicros != 0;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String id() {
    return Hex.id(id);
  }

  @Override
  public final boolean isSampled() {
    return !segment().isBuffered();
  }

  @Override
  public final boolean isRecording() {
    return true;
  }

  @Override
  public abstract RecordingSegment segment();

  @Override
  public final boolean isInProgress() {
    return endMicros == 0;
  }

  final long endMicros() {
    return endMicros;
  }

  /** Sets the end time; false when already ended (only one caller ever gets true). */
  final boolean markEnded() {
    if (endMicros != 0) {
      return false;
    }
    long now = EpochClock.nowMicros();
    return END_MICROS.compareAndSet(this, 0L, now > startMicros ? now : startMicros); // never negative
  }

  // ---- annotations ----

  @Override
  public final void putAnnotation(String key, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > EntityRules.MAX_ANNOTATION_STRING_LENGTH) {
      value = value.substring(0, EntityRules.MAX_ANNOTATION_STRING_LENGTH);
    }
    addAnnotation(key, value);
  }

  @Override
  public final void putAnnotation(String key, Number value) {
    if (value == null) {
      return;
    }
    if ((value instanceof Double || value instanceof Float) && !Double.isFinite(value.doubleValue())) {
      EntityRules.logOnce("annotation-value", key,
          "Radiograph: dropped annotation '" + key + "': X-Ray cannot store " + value);
      return;
    }
    addAnnotation(key, value);
  }

  @Override
  public final void putAnnotation(String key, boolean value) {
    addAnnotation(key, value);
  }

  private void addAnnotation(String key, Object value) {
    if (!EntityRules.isValidAnnotationKey(key)) {
      EntityRules.logOnce("annotation-key", String.valueOf(key),
          "Radiograph: dropped annotation with invalid key '" + key
              + "': X-Ray accepts only [A-Za-z0-9_], 1 to 500 characters");
      return;
    }
    synchronized (this) {
      if (annotationKeys == null) {
        annotationKeys = new String[4];
        annotationValues = new Object[4];
      }
      for (int i = 0; i < annotationCount; i++) {
        if (annotationKeys[i].equals(key)) {
          annotationValues[i] = value;
          return;
        }
      }
      if (annotationCount == EntityRules.MAX_ANNOTATIONS) {
        EntityRules.logOnce("annotation-count", name,
            "Radiograph: dropped annotation '" + key + "' on '" + name + "': X-Ray keeps at most "
                + EntityRules.MAX_ANNOTATIONS + " per segment or subsegment");
        return;
      }
      if (annotationCount == annotationKeys.length) {
        annotationKeys = Arrays.copyOf(annotationKeys, annotationCount * 2);
        annotationValues = Arrays.copyOf(annotationValues, annotationCount * 2);
      }
      annotationKeys[annotationCount] = key;
      annotationValues[annotationCount] = value;
      annotationCount++;
    }
  }

  /** The annotations as a new map, for tests and integrations that read them back. */
  final synchronized Map<String, Object> annotations() {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (int i = 0; i < annotationCount; i++) {
      copy.put(annotationKeys[i], annotationValues[i]);
    }
    return copy;
  }

  // ---- metadata and blocks ----

  @Override
  public final void putMetadata(String key, Object value) {
    putMetadata("default", key, value);
  }

  @Override
  public final void putMetadata(String namespace, String key, Object value) {
    if (namespace == null || key == null) {
      return;
    }
    if (namespace.startsWith("AWS.")) {
      EntityRules.logOnce("metadata-namespace", namespace,
          "Radiograph: dropped metadata in namespace '" + namespace + "': 'AWS.' is reserved for AWS");
      return;
    }
    synchronized (this) {
      if (metadata == null) {
        metadata = new LinkedHashMap<>(4);
      }
      metadata.computeIfAbsent(namespace, n -> new LinkedHashMap<>(4)).put(key, value);
    }
  }

  @Override
  public final void putHttp(String key, Object value) {
    if (key == null || value == null) {
      return;
    }
    int field = indexOf(HTTP_KEYS, key);
    if (field < 0) {
      EntityRules.logOnce("http-key", key, "Radiograph: dropped unknown http field '" + key + "'");
      return;
    }
    synchronized (this) {
      if (http == null) {
        http = new Object[HTTP_KEYS.length];
      }
      http[field] = value;
    }
    if ("status".equals(key) && value instanceof Number) {
      applyStatus(((Number) value).intValue());
    }
  }

  /** X-Ray's status mapping: 429 throttle and error, other 4xx error, 5xx fault. */
  private void applyStatus(int status) {
    if (status == 429) {
      setThrottle(true);
      setError(true);
    } else if (status >= 400 && status < 500) {
      setError(true);
    } else if (status >= 500 && status < 600) {
      setFault(true);
    }
  }

  @Override
  public final void putSql(String key, Object value) {
    if (key == null || value == null) {
      return;
    }
    int field = indexOf(SQL_KEYS, key);
    if (field < 0) {
      EntityRules.logOnce("sql-key", key, "Radiograph: dropped unknown sql field '" + key + "'");
      return;
    }
    synchronized (this) {
      if (sql == null) {
        sql = new Object[SQL_KEYS.length];
      }
      sql[field] = value;
    }
  }

  @Override
  public final void putAws(String key, Object value) {
    if (key == null) {
      return;
    }
    synchronized (this) {
      if (aws == null) {
        aws = new LinkedHashMap<>(4);
      }
      aws.put(key, value);
    }
  }

  private static int indexOf(String[] keys, String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  // ---- flags and exceptions ----

  @Override
  public final void setError(boolean error) {
    setFlag(ERROR, error);
  }

  @Override
  public final void setFault(boolean fault) {
    setFlag(FAULT, fault);
  }

  @Override
  public final void setThrottle(boolean throttle) {
    setFlag(THROTTLE, throttle);
  }

  private void setFlag(int flag, boolean on) {
    while (true) {
      int current = flags;
      int next = on ? current | flag : current & ~flag;
      if (current == next || FLAGS.compareAndSet(this, current, next)) {
        return;
      }
    }
  }

  /** Whether error, fault or throttle is set: one read of the flags, for the end of a request. */
  final boolean isAnomaly() {
    return flags != 0;
  }

  @Override
  public final boolean isError() {
    return (flags & ERROR) != 0;
  }

  @Override
  public final boolean isFault() {
    return (flags & FAULT) != 0;
  }

  @Override
  public final boolean isThrottle() {
    return (flags & THROTTLE) != 0;
  }

  @Override
  public final void addException(Throwable exception) {
    addException(exception, false);
  }

  @Override
  public final void addException(Throwable exception, boolean remote) {
    addException(exception, remote, null);
  }

  @Override
  public final void addException(Throwable exception, boolean remote, String type) {
    if (exception == null) {
      return;
    }
    setFault(true);
    ExceptionRegistry registry = segment().exceptionRegistry();
    List<ExceptionRecord> recorded = registry.record(exception, remote,
        type == null || type.isBlank() ? null : type);
    // Looked up before taking this entity's lock: the registry's owner is the segment, and a
    // child never takes its parent's lock while holding its own.
    long knownId = recorded == null ? registry.idOf(exception) : 0;
    synchronized (this) {
      if (recorded == null) {
        // Already recorded in this trace (thrown through a subsegment): refer to it by id.
        if (exceptions == null && causeReference == 0) {
          causeReference = knownId;
        }
        return;
      }
      if (exceptions == null) {
        exceptions = new ArrayList<>(recorded.size());
      }
      exceptions.addAll(recorded);
      causeReference = 0;
    }
  }

  // ---- children ----

  final synchronized void addChild(RecordingSubsegment child) {
    if (children == null) {
      children = new ArrayList<>(4);
    }
    children.add(child);
  }

  final synchronized List<RecordingSubsegment> childrenSnapshot() {
    return children == null ? List.of() : new ArrayList<>(children);
  }

  /** Removes {@code child} if it is still attached; true when this call removed it. */
  final synchronized boolean detachChild(RecordingSubsegment child) {
    return children != null && children.remove(child);
  }

  /**
   * Detaches {@code child} for streaming, unless {@code segment} has been handed to the emitter:
   * then the child goes out with it. Checked under this entity's lock, which the serializer also
   * takes, so a child is either in the segment's document or sent alone, never both.
   */
  final synchronized boolean detachChildForStreaming(RecordingSubsegment child, RecordingSegment segment) {
    return !segment.isEmitted() && children != null && children.remove(child);
  }

  /** What to do with a child that just ended, given what has been sent of this entity. */
  enum ChildEnd {
    /** Nothing of this entity has been sent: the usual bookkeeping applies. */
    NORMAL,
    /** This entity is still open and will carry the child when it is sent. */
    KEEP,
    /** The child was already sent in its final form. */
    SKIP,
    /** This entity was sent without the child's final form: the child was detached, send it alone. */
    SEND
  }

  /**
   * Decides, under this entity's lock (which serialization also holds), how a child that has just
   * ended gets sent, so that a child begun under an entity that was already sent (streamed, or
   * part of a sent segment) is neither lost nor sent twice.
   */
  final ChildEnd childEnded(RecordingSubsegment child) {
    // The usual case without the lock. The child has ended (its end time is set) before this
    // call, and a writer marks this entity written before it reads any child: so if this read
    // finds it unwritten, any document that holds the child holds it ended.
    if (!written) {
      return ChildEnd.NORMAL;
    }
    return childEndedAfterWrite(child);
  }

  private synchronized ChildEnd childEndedAfterWrite(RecordingSubsegment child) {
    if (endMicros == 0) {
      return ChildEnd.KEEP;
    }
    if (child.wasWrittenEnded()) {
      return ChildEnd.SKIP;
    }
    if (children != null) {
      children.remove(child);
    }
    return ChildEnd.SEND;
  }

  final synchronized boolean wasWrittenEnded() {
    return writtenEnded;
  }

  /** Whether this entity and every entity below it have ended. */
  final boolean isSubtreeComplete() {
    List<RecordingSubsegment> snapshot;
    synchronized (this) {
      if (endMicros == 0) {
        return false;
      }
      if (children == null || children.isEmpty()) {
        return true;
      }
      snapshot = new ArrayList<>(children);
    }
    for (RecordingSubsegment child : snapshot) {
      if (!child.isSubtreeComplete()) {
        return false;
      }
    }
    return true;
  }

  /** Number of entities in this subtree, this one included. */
  final int subtreeSize() {
    int size = 1;
    for (RecordingSubsegment child : childrenSnapshot()) {
      size += child.subtreeSize();
    }
    return size;
  }

  /**
   * Notes, under this entity's lock, that a document now holds it, written with the end time
   * {@code endWritten} (0: in progress): whether it had ended in that document decides how a child
   * that ends later is sent ({@link #childEnded}).
   */
  final void markWrittenLocked(long endWritten) {
    written = true;
    writtenEnded = endWritten != 0;
  }

  @Override
  public final TraceHeader traceHeader() {
    RecordingSegment segment = segment();
    return segment.incoming().derive(traceId(), id,
        segment.isBuffered() ? TraceHeader.Sampled.NOT_SAMPLED : TraceHeader.Sampled.SAMPLED);
  }

  /** Duration so far (or in all, once ended), in microseconds. */
  final long durationMicros() {
    long end = endMicros;
    return (end != 0 ? end : EpochClock.nowMicros()) - startMicros;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{name=" + name + ", id=" + id() + ", trace=" + traceId() + '}';
  }
}
