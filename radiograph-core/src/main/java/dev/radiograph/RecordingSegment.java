package dev.radiograph;

import dev.radiograph.internal.Hex;
import dev.radiograph.sampling.SamplingDecision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A sampled segment. Besides its own data it keeps the bookkeeping that decides when the tree is
 * sent: {@link #open} counts the segment and its subsegments that have not ended (the document
 * goes out when it reaches zero), and {@link #finishedAttached} counts ended subsegments still
 * held, which triggers streaming past the threshold.
 */
final class RecordingSegment extends RecordingEntity implements Segment {

  private final TraceId traceId;
  private final long parentId;
  private final TraceHeader incoming;
  private final SamplingDecision decision; // null when the upstream decided
  private final boolean buffered; // unsampled, kept in memory in case it turns out anomalous
  private final PluginEnvironment.Entries environment; // where the service runs, or null
  private String user;
  private String origin;
  private Map<String, Object> service;

  // Counters as volatile fields with updaters, not Atomic* objects: four fewer allocations per
  // sampled request.
  private static final AtomicIntegerFieldUpdater<RecordingSegment> OPEN =
      AtomicIntegerFieldUpdater.newUpdater(RecordingSegment.class, "open");
  private static final AtomicIntegerFieldUpdater<RecordingSegment> FINISHED_ATTACHED =
      AtomicIntegerFieldUpdater.newUpdater(RecordingSegment.class, "finishedAttached");
  private static final AtomicIntegerFieldUpdater<RecordingSegment> EMITTED =
      AtomicIntegerFieldUpdater.newUpdater(RecordingSegment.class, "emitted");
  private static final AtomicIntegerFieldUpdater<RecordingSegment> STREAMING =
      AtomicIntegerFieldUpdater.newUpdater(RecordingSegment.class, "streaming");

  private volatile int open = 1; // the segment itself plus subsegments not ended
  private volatile int finishedAttached; // ended subsegments still held in the tree
  private volatile int emitted; // 1 once handed to the emitter
  private volatile int streaming; // 1 while one thread streams completed subtrees
  private ExceptionRegistry exceptionRegistry; // guarded by this, created on first exception
  private int bufferedEntities = 1; // guarded by this; entities held for keep-on-anomaly
  private boolean bufferClosed; // guarded by this; set when the keep-or-discard decision is made

  RecordingSegment(Recorder recorder, String name, TraceId traceId, TraceHeader incoming,
      SamplingDecision decision, boolean buffered) {
    super(recorder, name);
    this.traceId = traceId;
    this.incoming = incoming;
    this.parentId = incoming.parentIdValue();
    this.decision = decision;
    this.buffered = buffered;
    this.environment = recorder.pluginEntries();
  }

  private RecordingSegment(Recorder recorder, String name, TraceId traceId, TraceHeader incoming,
      SamplingDecision decision, boolean buffered, long id) {
    super(recorder, name, id);
    this.traceId = traceId;
    this.incoming = incoming;
    this.parentId = 0;
    this.decision = decision;
    this.buffered = buffered;
    this.environment = null;
  }

  /**
   * A Lambda invocation's facade: the runtime's segment, known by its id from the trace header.
   * It is never sent; it counts as already sent and ended, so each subsegment that ends under it
   * goes out on its own (see {@link RecordingEntity#childEnded}).
   */
  static RecordingSegment facade(Recorder recorder, TraceHeader header) {
    RecordingSegment facade = new RecordingSegment(recorder, "facade", header.root(), header, null, false,
        header.parentIdValue());
    facade.markEnded();
    facade.markWritten();
    facade.markEmitted();
    return facade;
  }

  @Override
  public RecordingSegment segment() {
    return this;
  }

  @Override
  public TraceId traceId() {
    return traceId;
  }

  @Override
  public String parentId() {
    return parentId == 0 ? null : Hex.id(parentId);
  }

  TraceHeader incoming() {
    return incoming;
  }

  SamplingDecision decision() {
    return decision;
  }

  /**
   * Whether this segment records only in case it becomes an anomaly (keep-on-anomaly capture):
   * the trace was not sampled, so downstream calls are told {@code Sampled=0}.
   */
  boolean isBuffered() {
    return buffered;
  }

  synchronized ExceptionRegistry exceptionRegistry() {
    if (exceptionRegistry == null) {
      exceptionRegistry = new ExceptionRegistry();
    }
    return exceptionRegistry;
  }

  synchronized boolean tryAddBufferedEntity(int max) {
    if (bufferClosed || bufferedEntities >= max) {
      return false;
    }
    bufferedEntities++;
    return true;
  }

  /** Closes the keep-on-anomaly buffer: returns the entities it held, refuses new ones. */
  synchronized int closeBuffer() {
    bufferClosed = true;
    return bufferedEntities;
  }

  void subsegmentBegun() {
    OPEN.incrementAndGet(this);
  }

  /** Counts an entity of this tree as ended; true when none is left open. */
  boolean entityEnded() {
    return OPEN.decrementAndGet(this) == 0;
  }

  /** Counts an ended subsegment still held; returns how many are held now. */
  int finishedSubsegmentHeld() {
    return FINISHED_ATTACHED.incrementAndGet(this);
  }

  void finishedSubsegmentsReleased(int count) {
    FINISHED_ATTACHED.addAndGet(this, -count);
  }

  /** Marks the segment as handed to the emitter; true for the one caller that did it. */
  boolean markEmitted() {
    return EMITTED.compareAndSet(this, 0, 1);
  }

  boolean isEmitted() {
    return emitted != 0;
  }

  boolean tryStartStreaming() {
    return STREAMING.compareAndSet(this, 0, 1);
  }

  void endStreaming() {
    streaming = 0;
  }

  @Override
  public void setUser(String user) {
    synchronized (this) {
      this.user = user;
    }
  }

  @Override
  public void setOrigin(String origin) {
    synchronized (this) {
      this.origin = origin;
    }
  }

  @Override
  public void putService(String key, Object value) {
    if (key == null) {
      return;
    }
    synchronized (this) {
      if (service == null) {
        service = new LinkedHashMap<>(2);
      }
      service.put(key, value);
    }
  }

  @Override
  public void close() {
    recorder.endSegment(this);
  }

  /** The trace id as a quoted JSON string, written into every document of this tree. */
  byte[] quotedTraceId() {
    byte[] quoted = quotedTraceId;
    if (quoted == null) {
      quoted = new byte[TraceId.LENGTH + 2];
      quoted[0] = '"';
      traceId.writeTo(quoted, 1);
      quoted[quoted.length - 1] = '"';
      quotedTraceId = quoted; // a benign race: every writer stores equal, fully built arrays
    }
    return quoted;
  }

  private volatile byte[] quotedTraceId;

  // For DocumentWriter, read under this segment's lock.

  long parentIdValue() {
    return parentId;
  }

  String user() {
    return user;
  }

  /** The origin set in code, else the one the plugins found, else null. */
  String effectiveOrigin() {
    return origin != null ? origin : environment != null ? environment.origin : null;
  }

  Map<String, Object> service() {
    return service;
  }

  PluginEnvironment.Entries environment() {
    return environment;
  }
}
