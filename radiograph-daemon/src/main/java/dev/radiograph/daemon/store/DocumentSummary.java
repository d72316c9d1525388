package dev.radiograph.daemon.store;

import dev.radiograph.daemon.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the daemon needs from one received document, read once when it arrives so that queries
 * never parse JSON again: ids, times, flags, the http block, annotations, and the subsegments
 * that call other services (for the service graph). Immutable. The document itself is kept as
 * its UTF-8 bytes: the JSON is mostly ASCII, so this is the smallest form, and a UDP datagram
 * needs no decoding to be stored.
 */
public final class DocumentSummary {
  private static final String[] TIME_FIELDS = {"start_time", "end_time"};

  final String id;
  final String traceId;
  final String parentId; // null for a root segment
  final boolean subsegment; // sent on its own with type=subsegment
  final String name;
  final double startTime;
  final double endTime; // NaN while in progress
  final boolean inProgress;
  final boolean error;
  final boolean fault;
  final boolean throttle;
  final boolean anyError; // anywhere in the document, nested subsegments included
  final boolean anyFault;
  final boolean anyThrottle;
  final String origin;
  final String user;
  final String httpMethod;
  final String httpUrl;
  final String httpUserAgent;
  final String httpClientIp;
  final Integer httpStatus;
  // Annotations of this entity and its nested subsegments, in document order, as parallel
  // arrays (a key repeats when several entities set it): a few bytes instead of a map per document.
  final String[] annotationKeys;
  final Object[] annotationValues;
  final List<String> entityIds; // this entity and every nested subsegment
  final List<RemoteCall> remoteCalls; // nested subsegments with namespace remote/aws
  private final byte[] utf8;
  private final long weight;

  /** A downstream call recorded as a subsegment, for inferred service-graph nodes and edges. */
  public record RemoteCall(String id, String name, String namespace, double startTime, double endTime,
      boolean error, boolean fault, boolean throttle, AwsResourceNode awsResource) {}

  private DocumentSummary(Map<String, Object> doc, byte[] utf8) {
    this.utf8 = utf8;
    this.id = (String) doc.get("id");
    this.traceId = (String) doc.get("trace_id");
    this.subsegment = "subsegment".equals(doc.get("type"));
    Object parent = doc.get("parent_id");
    this.parentId = parent instanceof String ? (String) parent : null;
    this.name = (String) doc.get("name");
    this.startTime = ((Number) doc.get("start_time")).doubleValue();
    Object end = doc.get("end_time");
    this.inProgress = !(end instanceof Number);
    this.endTime = end instanceof Number ? ((Number) end).doubleValue() : Double.NaN;
    this.error = Boolean.TRUE.equals(doc.get("error"));
    this.fault = Boolean.TRUE.equals(doc.get("fault"));
    this.throttle = Boolean.TRUE.equals(doc.get("throttle"));
    this.origin = doc.get("origin") instanceof String ? (String) doc.get("origin") : null;
    this.user = doc.get("user") instanceof String ? (String) doc.get("user") : null;
    Map<?, ?> request = path(doc, "http", "request");
    Map<?, ?> response = path(doc, "http", "response");
    this.httpMethod = string(request, "method");
    this.httpUrl = string(request, "url");
    this.httpUserAgent = string(request, "user_agent");
    this.httpClientIp = string(request, "client_ip");
    Object status = response == null ? null : response.get("status");
    this.httpStatus = status instanceof Number ? ((Number) status).intValue() : null;

    List<Object> annotations = new ArrayList<>(); // key, value, key, value...
    List<String> ids = new ArrayList<>();
    List<RemoteCall> calls = new ArrayList<>();
    boolean[] flags = new boolean[3];
    walk(doc, annotations, ids, calls, flags, 0, true);
    int pairs = annotations.size() / 2;
    this.annotationKeys = new String[pairs];
    this.annotationValues = new Object[pairs];
    for (int i = 0; i < pairs; i++) {
      annotationKeys[i] = (String) annotations.get(2 * i);
      annotationValues[i] = annotations.get(2 * i + 1);
    }
    this.entityIds = List.copyOf(ids);
    this.remoteCalls = List.copyOf(calls);
    this.anyError = flags[0];
    this.anyFault = flags[1];
    this.anyThrottle = flags[2];
    this.weight = heapSize();
  }

  /**
   * What this summary holds on the heap: itself, the document's bytes, every string and box it
   * keeps, and its arrays and lists (see {@link HeapSize}). The parsed document is not kept.
   */
  private long heapSize() {
    long size = HeapSize.object(16, 2 * 8 + 8 + 8) + HeapSize.byteArray(utf8.length)
        + HeapSize.string(id) + HeapSize.string(traceId) + HeapSize.string(parentId) + HeapSize.string(name)
        + HeapSize.string(origin) + HeapSize.string(user) + HeapSize.string(httpMethod) + HeapSize.string(httpUrl)
        + HeapSize.string(httpUserAgent) + HeapSize.string(httpClientIp) + (httpStatus != null ? HeapSize.BOX : 0)
        + 2 * HeapSize.referenceArray(annotationKeys.length) + HeapSize.immutableList(entityIds.size())
        + HeapSize.immutableList(remoteCalls.size());
    for (int i = 0; i < annotationKeys.length; i++) {
      size += HeapSize.string(annotationKeys[i]) + HeapSize.value(annotationValues[i]);
    }
    for (int i = 1; i < entityIds.size(); i++) { // the first is this document's own id
      size += HeapSize.string(entityIds.get(i));
    }
    for (RemoteCall call : remoteCalls) { // its id is one of the entity ids
      size += HeapSize.object(4, 2 * 8 + 3) + HeapSize.string(call.name);
      if (call.awsResource != null) {
        size += HeapSize.object(2, 0) + HeapSize.string(call.awsResource.type())
            + (call.awsResource.name() != call.name ? HeapSize.string(call.awsResource.name()) : 0);
      }
    }
    return size;
  }

  private static final byte[] NO_TEXT = new byte[0];

  /** A copy with {@code utf8} in place of the document's bytes; every fact read from it is kept. */
  private DocumentSummary(DocumentSummary facts, byte[] utf8) {
    this.utf8 = utf8;
    this.id = facts.id;
    this.traceId = facts.traceId;
    this.parentId = facts.parentId;
    this.subsegment = facts.subsegment;
    this.name = facts.name;
    this.startTime = facts.startTime;
    this.endTime = facts.endTime;
    this.inProgress = facts.inProgress;
    this.error = facts.error;
    this.fault = facts.fault;
    this.throttle = facts.throttle;
    this.anyError = facts.anyError;
    this.anyFault = facts.anyFault;
    this.anyThrottle = facts.anyThrottle;
    this.origin = facts.origin;
    this.user = facts.user;
    this.httpMethod = facts.httpMethod;
    this.httpUrl = facts.httpUrl;
    this.httpUserAgent = facts.httpUserAgent;
    this.httpClientIp = facts.httpClientIp;
    this.httpStatus = facts.httpStatus;
    this.annotationKeys = facts.annotationKeys;
    this.annotationValues = facts.annotationValues;
    this.entityIds = facts.entityIds;
    this.remoteCalls = facts.remoteCalls;
    this.weight = heapSize();
  }

  /**
   * This document's facts without its text (an empty string in its place), for a store that keeps
   * the text on disk and holds only what queries filter on in memory.
   */
  DocumentSummary withoutText() {
    return new DocumentSummary(this, NO_TEXT);
  }

  /**
   * Reads and validates a document: an object with a 16-hex {@code id}, a valid
   * {@code trace_id}, a {@code name}, a numeric {@code start_time}, and {@code end_time} or
   * {@code in_progress}; a subsegment sent on its own also needs {@code parent_id}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static DocumentSummary parse(byte[] utf8, int offset, int length) {
    Object value = Json.parse(utf8, offset, length);
    return of(value, Arrays.copyOfRange(utf8, offset, offset + length));
  }

  /** As {@link #parse(byte[], int, int)}, from text (PutTraceSegments). */
  public static DocumentSummary parse(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return of(Json.parse(utf8), utf8);
  }

  /**
   * The bytes {@code text} takes in UTF-8, without encoding it: what X-Ray's 64 KB document limit
   * counts. An unpaired surrogate counts 1: {@link String#getBytes} replaces it with {@code '?'}.
   */
  public static int utf8Length(CharSequence text) {
    int n = text.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          bytes += 2; // 4 bytes for the pair of chars
          i++;
        } else if (!Character.isSurrogate(c)) {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static DocumentSummary of(Object value, byte[] utf8) {
    Map<String, Object> doc = Json.asObject(value, "a segment document");
    requireId(doc.get("id"), "id");
    Object traceId = doc.get("trace_id");
    if (!(traceId instanceof String) || dev.radiograph.TraceId.parse((String) traceId) == null) {
      throw new IllegalArgumentException("trace_id must be 1-<8 hex>-<24 hex>, found " + Json.typeName(traceId));
    }
    if (!(doc.get("name") instanceof String) || ((String) doc.get("name")).isEmpty()) {
      throw new IllegalArgumentException("name is required");
    }
    if (!(doc.get("start_time") instanceof Number)) {
      throw new IllegalArgumentException("start_time must be a number");
    }
    if (!(doc.get("end_time") instanceof Number) && !Boolean.TRUE.equals(doc.get("in_progress"))) {
      throw new IllegalArgumentException("end_time or in_progress=true is required");
    }
    if ("subsegment".equals(doc.get("type"))) {
      requireId(doc.get("parent_id"), "parent_id");
    }
    return new DocumentSummary(doc, utf8);
  }

  /** Rejects {@code 1e999} and the like: X-Ray times are finite epoch seconds. */
  private static void requireFiniteTimes(Map<?, ?> entity) {
    for (String field : TIME_FIELDS) {
      Object time = entity.get(field);
      if (time instanceof Number && !Double.isFinite(((Number) time).doubleValue())) {
        throw new NonFiniteTimeException(field + " must be a finite number of epoch seconds"
            + (entity.get("id") instanceof String ? " (entity " + entity.get("id") + ")" : ""));
      }
    }
  }

  private static void requireId(Object id, String field) {
    if (!(id instanceof String) || ((String) id).length() != 16 || !((String) id).chars().allMatch(java.util.HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(field + " must be 16 hex digits");
    }
  }

  private static void walk(Map<?, ?> entity, List<Object> annotations, List<String> ids,
      List<RemoteCall> calls, boolean[] flags, int depth, boolean top) {
    requireFiniteTimes(entity);
    Object id = entity.get("id");
    if (id instanceof String) {
      ids.add((String) id);
    }
    flags[0] |= Boolean.TRUE.equals(entity.get("error"));
    flags[1] |= Boolean.TRUE.equals(entity.get("fault"));
    flags[2] |= Boolean.TRUE.equals(entity.get("throttle"));
    Object notes = entity.get("annotations");
    if (notes instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) notes).entrySet()) {
        Object v = e.getValue();
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
          annotations.add(String.valueOf(e.getKey()));
          annotations.add(v);
        }
      }
    }
    Object namespace = entity.get("namespace");
    if (!top && ("remote".equals(namespace) || "aws".equals(namespace)) && id instanceof String
        && entity.get("name") instanceof String && entity.get("start_time") instanceof Number) {
      Object end = entity.get("end_time");
      double start = ((Number) entity.get("start_time")).doubleValue();
      calls.add(new RemoteCall((String) id, (String) entity.get("name"), "aws".equals(namespace) ? "aws" : "remote", start,
          end instanceof Number ? ((Number) end).doubleValue() : start,
          Boolean.TRUE.equals(entity.get("error")), Boolean.TRUE.equals(entity.get("fault")),
          Boolean.TRUE.equals(entity.get("throttle")),
          // An AWS call's inferred node, named after the resource its aws block names.
          "aws".equals(namespace) ? AwsResourceNode.of((String) entity.get("name"),
              entity.get("aws") instanceof Map ? (Map<?, ?>) entity.get("aws") : null) : null));
    }
    Object subs = entity.get("subsegments");
    if (subs instanceof List && depth < Json.MAX_DEPTH) {
      for (Object sub : (List<?>) subs) {
        if (sub instanceof Map) {
          walk((Map<?, ?>) sub, annotations, ids, calls, flags, depth + 1, false);
        }
      }
    }
  }

  private static Map<?, ?> path(Map<?, ?> map, String first, String second) {
    Object a = map.get(first);
    if (!(a instanceof Map)) {
      return null;
    }
    Object b = ((Map<?, ?>) a).get(second);
    return b instanceof Map ? (Map<?, ?>) b : null;
  }

  private static String string(Map<?, ?> map, String key) {
    if (map == null) {
      return null;
    }
    Object value = map.get(key);
    return value instanceof String ? (String) value : null;
  }

  public String id() {
    return id;
  }

  public String traceId() {
    return traceId;
  }

  /** The document as received (decoded from its UTF-8 bytes on each call). */
  public String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** The document's UTF-8 bytes, shared: not to be changed. */
  byte[] utf8() {
    return utf8;
  }

  /** Bytes this summary and the document it keeps hold on the heap. */
  long weight() {
    return weight;
  }

  /** This entity's id and those of every subsegment nested in it. */
  public List<String> entityIds() {
    return entityIds;
  }

  /** The parent's id (the caller's subsegment for a segment), or null. */
  public String parentId() {
    return parentId;
  }

  /** Whether this is a subsegment sent on its own. */
  public boolean isSubsegment() {
    return subsegment;
  }

  public String name() {
    return name;
  }

  public String origin() {
    return origin;
  }

  public double startTime() {
    return startTime;
  }

  /** Seconds from start to end, 0 while in progress. */
  public double responseTime() {
    return inProgress ? 0 : Math.max(0, endTime - startTime);
  }

  public boolean inProgress() {
    return inProgress;
  }

  public boolean error() {
    return error;
  }

  public boolean fault() {
    return fault;
  }

  public boolean throttle() {
    return throttle;
  }

  /** Calls to other services made in this document (subsegments with a namespace). */
  public List<RemoteCall> remoteCalls() {
    return remoteCalls;
  }
}
