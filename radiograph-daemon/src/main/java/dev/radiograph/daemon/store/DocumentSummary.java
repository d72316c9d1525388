package dev.radiograph.daemon.store;

import dev.radiograph.internal.JsonReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the daemon needs from one received document, read once when it arrives so that queries
 * never parse JSON again: ids, times, flags, the http block, annotations, and the subsegments
 * that call other services (for the service graph).
 */
public final class DocumentSummary {
  private static final int MAX_NESTING = 64;

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
  final Map<String, List<Object>> annotations;
  final List<String> entityIds; // this entity and every nested subsegment
  final List<RemoteCall> remoteCalls; // nested subsegments with namespace remote/aws
  final String text;

  /** A downstream call recorded as a subsegment, for inferred service-graph nodes and edges. */
  public record RemoteCall(String id, String name, String namespace, double startTime, double endTime,
      boolean error, boolean fault, boolean throttle, AwsResourceNode awsResource) {}

  private DocumentSummary(Map<String, Object> doc, String text) {
    this.text = text;
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

    Map<String, List<Object>> annotations = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<RemoteCall> calls = new ArrayList<>();
    boolean[] flags = new boolean[3];
    walk(doc, annotations, ids, calls, flags, 0, true);
    this.annotations = annotations.isEmpty() ? Map.of() : annotations;
    this.entityIds = ids;
    this.remoteCalls = calls.isEmpty() ? List.of() : calls;
    this.anyError = flags[0];
    this.anyFault = flags[1];
    this.anyThrottle = flags[2];
  }

  /** A copy with {@code text} in place of the document's text; every fact read from it is kept. */
  private DocumentSummary(DocumentSummary facts, String text) {
    this.text = text;
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
    this.annotations = facts.annotations;
    this.entityIds = facts.entityIds;
    this.remoteCalls = facts.remoteCalls;
  }

  /**
   * This document's facts without its text (an empty string in its place), for a store that keeps
   * the text on disk and holds only what queries filter on in memory.
   */
  DocumentSummary withoutText() {
    return new DocumentSummary(this, "");
  }

  /**
   * Reads and validates a document: an object with a 16-hex {@code id}, a valid
   * {@code trace_id}, a {@code name}, a numeric {@code start_time}, and {@code end_time} or
   * {@code in_progress}; a subsegment sent on its own also needs {@code parent_id}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static DocumentSummary parse(byte[] utf8, int offset, int length) {
    Object value = JsonReader.parse(utf8, offset, length, MAX_NESTING);
    String text = new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8);
    return of(value, text);
  }

  /** As {@link #parse(byte[], int, int)}, from text (PutTraceSegments). */
  public static DocumentSummary parse(String text) {
    return of(JsonReader.parse(text, MAX_NESTING), text);
  }

  private static DocumentSummary of(Object value, String text) {
    Map<String, Object> doc = JsonReader.asObject(value, "a segment document");
    requireId(doc.get("id"), "id");
    Object traceId = doc.get("trace_id");
    if (!(traceId instanceof String) || dev.radiograph.TraceId.parse((String) traceId) == null) {
      throw new IllegalArgumentException("trace_id must be 1-<8 hex>-<24 hex>, found " + JsonReader.typeName(traceId));
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
    return new DocumentSummary(doc, text);
  }

  private static void requireId(Object id, String field) {
    if (!(id instanceof String) || ((String) id).length() != 16 || !dev.radiograph.internal.Hex.isHex((String) id, 0, 16)) {
      throw new IllegalArgumentException(field + " must be 16 hex digits");
    }
  }

  private static void walk(Map<?, ?> entity, Map<String, List<Object>> annotations, List<String> ids,
      List<RemoteCall> calls, boolean[] flags, int depth, boolean top) {
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
          annotations.computeIfAbsent(String.valueOf(e.getKey()), k -> new ArrayList<>(1)).add(v);
        }
      }
    }
    Object namespace = entity.get("namespace");
    if (!top && ("remote".equals(namespace) || "aws".equals(namespace)) && id instanceof String
        && entity.get("name") instanceof String && entity.get("start_time") instanceof Number) {
      Object end = entity.get("end_time");
      double start = ((Number) entity.get("start_time")).doubleValue();
      calls.add(new RemoteCall((String) id, (String) entity.get("name"), (String) namespace, start,
          end instanceof Number ? ((Number) end).doubleValue() : start,
          Boolean.TRUE.equals(entity.get("error")), Boolean.TRUE.equals(entity.get("fault")),
          Boolean.TRUE.equals(entity.get("throttle")),
          // An AWS call's inferred node, named after the resource its aws block names.
          "aws".equals(namespace) ? AwsResourceNode.of((String) entity.get("name"),
              entity.get("aws") instanceof Map ? (Map<?, ?>) entity.get("aws") : null) : null));
    }
    Object subs = entity.get("subsegments");
    if (subs instanceof List && depth < MAX_NESTING) {
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

  /** The document as received. */
  public String text() {
    return text;
  }

  /** Bytes this document holds in the store (its UTF-16 text, roughly). */
  long weight() {
    return 64L + text.length() * 2L;
  }

  /** This entity's id and those of every subsegment nested in it. */
  public List<String> entityIds() {
    return Collections.unmodifiableList(entityIds);
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
