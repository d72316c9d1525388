package dev.radiograph;

import dev.radiograph.internal.Hex;
import dev.radiograph.internal.JsonWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sampled segment. Besides its own data it keeps the bookkeeping that decides when the tree is
 * sent: {@link #open} counts the segment and its subsegments that have not ended (the document
 * goes out when it reaches zero), and {@link #finishedAttached} counts ended subsegments still
 * held, which triggers streaming past the threshold.
 */
final class RecordingSegment extends RecordingEntity implements Segment {
  private static final byte[] TRACE_ID = JsonWriter.key("trace_id");
  private static final byte[] PARENT_ID = JsonWriter.key("parent_id");
  private static final byte[] ORIGIN = JsonWriter.key("origin");
  private static final byte[] USER = JsonWriter.key("user");
  private static final byte[] SERVICE = JsonWriter.key("service");
  private static final byte[] XRAY = JsonWriter.key("xray");

  private final TraceId traceId;
  private final long parentId;
  private final String lineage;
  private String user;
  private String origin;
  private Map<String, Object> service;

  final AtomicInteger open = new AtomicInteger(1);
  final AtomicInteger finishedAttached = new AtomicInteger();
  final AtomicBoolean emitted = new AtomicBoolean();
  final AtomicBoolean streaming = new AtomicBoolean();
  private final ExceptionRegistry exceptionRegistry = new ExceptionRegistry();

  RecordingSegment(Recorder recorder, String name, TraceId traceId, long parentId, String lineage) {
    super(recorder, name);
    this.traceId = traceId;
    this.parentId = parentId;
    this.lineage = lineage;
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

  String lineage() {
    return lineage;
  }

  ExceptionRegistry exceptionRegistry() {
    return exceptionRegistry;
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

  @Override
  void writeHeaderFields(JsonWriter w, boolean independent) {
    w.asciiName(TRACE_ID);
    w.rawValue(quotedTraceId());
    if (parentId != 0) {
      w.asciiName(PARENT_ID).hexIdValue(parentId);
    }
  }

  /** The trace id as a quoted JSON string, written into every document of this tree. */
  byte[] quotedTraceId() {
    byte[] quoted = new byte[TraceId.LENGTH + 2];
    quoted[0] = '"';
    traceId.writeTo(quoted, 1);
    quoted[quoted.length - 1] = '"';
    return quoted;
  }

  @Override
  void writeOwnFields(JsonWriter w, int reduction) {
    if (origin != null) {
      w.asciiName(ORIGIN).value(origin);
    }
    if (user != null) {
      w.asciiName(USER).value(user);
    }
    if (service != null && reduction < 3) {
      w.asciiName(SERVICE);
      JsonValues.write(w, service);
    }
  }

  @Override
  void writeAws(JsonWriter w) {
    w.asciiName(AWS).beginObject();
    if (aws != null) {
      for (Map.Entry<String, Object> entry : aws.entrySet()) {
        if (!"xray".equals(entry.getKey())) {
          w.name(entry.getKey());
          JsonValues.write(w, entry.getValue());
        }
      }
    }
    w.asciiName(XRAY).rawValue(SdkInfo.XRAY_BLOCK);
    w.endObject();
  }
}
