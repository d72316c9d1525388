package dev.radiograph.otlp.wire;

import static dev.radiograph.otlp.wire.OtlpAttributes.*;

import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns X-Ray segment and subsegment documents into one OTLP
 * {@code ExportTraceServiceRequest} (protobuf), as docs/otlp-mapping.md says: each entity of a
 * document (nested subsegments too) becomes one span, its parent the enclosing entity or the
 * document's {@code parent_id}; spans are grouped by their service's resource.
 *
 * <p>One encoder collects a batch: {@link #add} each document, {@link #encode} the request,
 * {@link #clear} for the next. Not thread safe: the emitter's sender thread (or one daemon
 * forwarder thread) owns it.
 */
public final class OtlpTraceEncoder {
  private static final int MAX_NESTING = 64;
  private static final String SCOPE_NAME = "dev.radiograph";

  // Span messages.
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_ID = 2;
  private static final int SPAN_PARENT_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_STATUS = 15;
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ANY_KVLIST = 6;
  private static final int LIST_VALUES = 1;

  private final String defaultServiceName;
  private String sdkName; // of the last segment: subsegments sent on their own do not say
  private String sdkVersion;
  private final Map<List<String>, ProtobufWriter> spansByResource = new LinkedHashMap<>();
  private final JsonWriter json = new JsonWriter(256);
  private int spanCount;
  private int bytes;

  /**
   * An encoder whose subsegment documents sent on their own (which name neither their service nor
   * their SDK) belong to {@code defaultServiceName} (null: {@code unknown_service}) and to the SDK
   * of the last segment seen.
   */
  public OtlpTraceEncoder(String defaultServiceName) {
    this.defaultServiceName = defaultServiceName == null || defaultServiceName.isBlank()
        ? "unknown_service" : defaultServiceName;
  }

  /**
   * Adds the spans of one document (UTF-8 JSON) to the batch and returns how many.
   *
   * @throws IllegalArgumentException when it is not a segment or subsegment document
   */
  public int add(byte[] document) {
    Map<String, Object> entity = JsonReader.asObject(JsonReader.parse(document), "document");
    String traceId = str(entity, "trace_id");
    if (traceId == null) {
      throw new IllegalArgumentException("the document has no trace_id");
    }
    byte[] traceBytes = traceIdBytes(traceId);
    boolean segment = !"subsegment".equals(str(entity, "type"));
    List<String> resource = segment ? resourceOf(entity) : defaultResource();
    ProtobufWriter out = spansByResource.computeIfAbsent(resource, r -> new ProtobufWriter(4096));
    int before = out.size();
    int spans = writeEntity(out, entity, traceBytes, str(entity, "parent_id"), segment, 0);
    bytes += out.size() - before;
    spanCount += spans;
    return spans;
  }

  /** Spans added since the last {@link #clear}. */
  public int spanCount() {
    return spanCount;
  }

  /** Bytes of the encoded spans so far (the request adds a little for resources). */
  public int encodedBytes() {
    return bytes;
  }

  /** The {@code ExportTraceServiceRequest} of everything added. */
  public byte[] encode() {
    ProtobufWriter request = new ProtobufWriter(bytes + 256 * (spansByResource.size() + 1));
    for (Map.Entry<List<String>, ProtobufWriter> e : spansByResource.entrySet()) {
      int resourceSpans = request.begin(1);
      int resource = request.begin(1);
      List<String> attributes = e.getKey();
      for (int i = 0; i + 1 < attributes.size(); i += 2) {
        stringAttribute(request, 1, attributes.get(i), attributes.get(i + 1));
      }
      request.end(resource);
      int scopeSpans = request.begin(2);
      int scope = request.begin(1);
      request.string(1, SCOPE_NAME);
      request.end(scope);
      ProtobufWriter spans = e.getValue();
      request.raw(spans);
      request.end(scopeSpans);
      request.end(resourceSpans);
    }
    return request.toByteArray();
  }

  /** Forgets the batch. */
  public void clear() {
    spansByResource.clear();
    spanCount = 0;
    bytes = 0;
  }

  private List<String> defaultResource() {
    List<String> r = new ArrayList<>(8);
    r.add(SERVICE_NAME);
    r.add(defaultServiceName);
    addSdk(r, sdkName, sdkVersion);
    return r;
  }

  private List<String> resourceOf(Map<String, Object> segment) {
    List<String> r = new ArrayList<>(12);
    r.add(SERVICE_NAME);
    String name = str(segment, "name");
    r.add(name == null ? defaultServiceName : name);
    Map<String, Object> xray = obj(obj(segment, "aws"), "xray");
    if (xray != null && str(xray, "sdk") != null) {
      sdkName = str(xray, "sdk");
      sdkVersion = str(xray, "sdk_version");
      addSdk(r, sdkName, sdkVersion);
    }
    String version = str(obj(segment, "service"), "version");
    if (version != null) {
      r.add(SERVICE_VERSION);
      r.add(version);
    }
    String platform = platformOf(str(segment, "origin"));
    if (platform != null) {
      r.add(CLOUD_PROVIDER);
      r.add("aws");
      r.add(CLOUD_PLATFORM);
      r.add(platform);
    }
    return r;
  }

  /** {@code Radiograph for Java} becomes the name {@code Radiograph}, the language {@code java}. */
  private static void addSdk(List<String> r, String sdk, String version) {
    if (sdk == null) {
      return;
    }
    int at = sdk.lastIndexOf(" for ");
    r.add(TELEMETRY_SDK_NAME);
    r.add(at > 0 ? sdk.substring(0, at) : sdk);
    if (at > 0) {
      r.add(TELEMETRY_SDK_LANGUAGE);
      r.add(sdk.substring(at + 5).toLowerCase(java.util.Locale.ROOT));
    }
    if (version != null) {
      r.add(TELEMETRY_SDK_VERSION);
      r.add(version);
    }
  }

  private int writeEntity(ProtobufWriter out, Map<String, Object> e, byte[] traceId, String parentId,
      boolean segment, int depth) {
    if (depth > MAX_NESTING) {
      throw new IllegalArgumentException("subsegments nested deeper than " + MAX_NESTING);
    }
    String id = str(e, "id");
    if (id == null || id.length() != 16) {
      throw new IllegalArgumentException("an entity without a 16-digit id");
    }
    String namespace = str(e, "namespace");
    Map<String, Object> aws = obj(e, "aws");
    boolean awsCall = !segment && "aws".equals(namespace);
    int span = out.begin(2);
    out.bytes(SPAN_TRACE_ID, traceId);
    out.bytes(SPAN_ID, hexBytes(id, 8));
    if (parentId != null && parentId.length() == 16) {
      out.bytes(SPAN_PARENT_ID, hexBytes(parentId, 8));
    }
    String name = str(e, "name");
    out.string(SPAN_NAME, name);
    int kind = segment ? KIND_SERVER
        : "remote".equals(namespace) || awsCall ? KIND_CLIENT : KIND_INTERNAL;
    out.varintField(SPAN_KIND, kind, false);
    long start = nanos(e.get("start_time"));
    boolean inProgress = Boolean.TRUE.equals(e.get("in_progress")) || e.get("end_time") == null;
    out.fixed64(SPAN_START, start);
    out.fixed64(SPAN_END, inProgress ? start : nanos(e.get("end_time")));

    if (inProgress) {
      boolAttribute(out, XRAY_IN_PROGRESS, true);
    }
    if (!segment && name != null) {
      if (awsCall) {
        stringAttribute(out, SPAN_ATTRIBUTES, RPC_SYSTEM, RPC_SYSTEM_AWS);
        stringAttribute(out, SPAN_ATTRIBUTES, RPC_SERVICE, name);
      } else if (kind == KIND_CLIENT) {
        stringAttribute(out, SPAN_ATTRIBUTES, PEER_SERVICE, name);
      }
    }
    String user = str(e, "user");
    if (user != null) {
      stringAttribute(out, SPAN_ATTRIBUTES, ENDUSER_ID, user);
    }
    long status = writeHttp(out, obj(e, "http"));
    writeSql(out, obj(e, "sql"));
    if (awsCall && aws != null) {
      writeAwsCall(out, aws);
    }
    writeFlags(out, e, status);
    writeAnnotations(out, obj(e, "annotations"));
    writeMetadata(out, obj(e, "metadata"));
    String faultMessage = writeExceptions(out, obj(e, "cause"), inProgress ? start : nanos(e.get("end_time")));
    if (Boolean.TRUE.equals(e.get("fault"))) {
      int st = out.begin(SPAN_STATUS);
      out.string(STATUS_MESSAGE, faultMessage);
      out.varintField(STATUS_CODE, STATUS_ERROR, false);
      out.end(st);
    }
    out.end(span);

    int spans = 1;
    Object children = e.get("subsegments");
    if (children instanceof List) {
      for (Object child : (List<?>) children) {
        if (child instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> c = (Map<String, Object>) child;
          spans += writeEntity(out, c, traceId, id, false, depth + 1);
        }
      }
    }
    return spans;
  }

  /** Writes the http block's attributes; returns the response status, or 0. */
  private static long writeHttp(ProtobufWriter out, Map<String, Object> http) {
    if (http == null) {
      return 0;
    }
    Map<String, Object> request = obj(http, "request");
    if (request != null) {
      stringIfPresent(out, HTTP_REQUEST_METHOD, request.get("method"));
      stringIfPresent(out, URL_FULL, request.get("url"));
      stringIfPresent(out, USER_AGENT, request.get("user_agent"));
      stringIfPresent(out, CLIENT_ADDRESS, request.get("client_ip"));
      if (request.get("x_forwarded_for") instanceof Boolean) {
        boolAttribute(out, XRAY_X_FORWARDED_FOR, (Boolean) request.get("x_forwarded_for"));
      }
      if (request.get("traced") instanceof Boolean) {
        boolAttribute(out, XRAY_TRACED, (Boolean) request.get("traced"));
      }
    }
    Map<String, Object> response = obj(http, "response");
    long status = 0;
    if (response != null) {
      if (response.get("status") instanceof Number) {
        status = ((Number) response.get("status")).longValue();
        intAttribute(out, HTTP_STATUS, status);
      }
      if (response.get("content_length") instanceof Number) {
        intAttribute(out, HTTP_RESPONSE_SIZE, ((Number) response.get("content_length")).longValue());
      }
    }
    return status;
  }

  private static void writeSql(ProtobufWriter out, Map<String, Object> sql) {
    if (sql == null) {
      return;
    }
    for (Map.Entry<String, Object> f : sql.entrySet()) {
      String key;
      switch (f.getKey()) {
        case "url":
          key = DB_CONNECTION_STRING;
          break;
        case "sanitized_query":
          key = DB_QUERY_TEXT;
          break;
        case "database_type":
          key = DB_SYSTEM;
          break;
        case "user":
          key = DB_USER;
          break;
        default:
          key = XRAY_SQL_PREFIX + f.getKey();
      }
      anyAttribute(out, SPAN_ATTRIBUTES, key, f.getValue());
    }
  }

  private static void writeAwsCall(ProtobufWriter out, Map<String, Object> aws) {
    for (Map.Entry<String, Object> f : aws.entrySet()) {
      if ("operation".equals(f.getKey())) {
        stringIfPresent(out, RPC_METHOD, f.getValue());
      } else {
        anyAttribute(out, SPAN_ATTRIBUTES, AWS_PREFIX + f.getKey(), f.getValue());
      }
    }
  }

  /** The flags that the status code and the span status do not already say. */
  private static void writeFlags(ProtobufWriter out, Map<String, Object> e, long status) {
    boolean error = Boolean.TRUE.equals(e.get("error"));
    boolean fault = Boolean.TRUE.equals(e.get("fault"));
    boolean throttle = Boolean.TRUE.equals(e.get("throttle"));
    if (error && !(status >= 400 && status < 500)) {
      boolAttribute(out, XRAY_ERROR, true);
    }
    if (throttle && status != 429) {
      boolAttribute(out, XRAY_THROTTLE, true);
    }
    if (!fault && status >= 500) {
      boolAttribute(out, XRAY_FAULT, false);
    }
    if (!error && status >= 400 && status < 500) {
      boolAttribute(out, XRAY_ERROR, false);
    }
  }

  private static void writeAnnotations(ProtobufWriter out, Map<String, Object> annotations) {
    if (annotations == null || annotations.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Object> a : annotations.entrySet()) {
      anyAttribute(out, SPAN_ATTRIBUTES, a.getKey(), a.getValue());
    }
    int kv = out.begin(SPAN_ATTRIBUTES);
    out.stringAlways(KEY_VALUE_KEY, XRAY_ANNOTATIONS);
    int any = out.begin(KEY_VALUE_VALUE);
    int array = out.begin(ANY_ARRAY);
    for (String key : annotations.keySet()) {
      int v = out.begin(LIST_VALUES);
      out.stringAlways(ANY_STRING, key);
      out.end(v);
    }
    out.end(array);
    out.end(any);
    out.end(kv);
  }

  private void writeMetadata(ProtobufWriter out, Map<String, Object> metadata) {
    if (metadata == null) {
      return;
    }
    for (Map.Entry<String, Object> ns : metadata.entrySet()) {
      json.reset();
      writeJson(json, ns.getValue());
      stringAttribute(out, SPAN_ATTRIBUTES, XRAY_METADATA_PREFIX + ns.getKey(),
          new String(json.buffer(), 0, json.size(), StandardCharsets.UTF_8));
    }
  }

  /** Writes one exception event per exception; returns the first one's message (for the status). */
  private static String writeExceptions(ProtobufWriter out, Map<String, Object> cause, long time) {
    if (cause == null || !(cause.get("exceptions") instanceof List)) {
      return null;
    }
    String first = null;
    for (Object item : (List<?>) cause.get("exceptions")) {
      if (!(item instanceof Map)) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> x = (Map<String, Object>) item;
      String type = str(x, "type");
      String message = str(x, "message");
      if (first == null) {
        first = message != null ? message : type;
      }
      int event = out.begin(SPAN_EVENTS);
      out.fixed64(EVENT_TIME, time);
      out.string(EVENT_NAME, EXCEPTION_EVENT);
      stringIfPresent(out, EXCEPTION_TYPE, type, EVENT_ATTRIBUTES);
      stringIfPresent(out, EXCEPTION_MESSAGE, message, EVENT_ATTRIBUTES);
      stringIfPresent(out, XRAY_EXCEPTION_ID, x.get("id"), EVENT_ATTRIBUTES);
      stringIfPresent(out, XRAY_EXCEPTION_CAUSE, x.get("cause"), EVENT_ATTRIBUTES);
      if (Boolean.TRUE.equals(x.get("remote"))) {
        anyAttribute(out, EVENT_ATTRIBUTES, XRAY_EXCEPTION_REMOTE, true);
      }
      if (x.get("truncated") instanceof Number) {
        anyAttribute(out, EVENT_ATTRIBUTES, XRAY_EXCEPTION_TRUNCATED, x.get("truncated"));
      }
      if (x.get("skipped") instanceof Number) {
        anyAttribute(out, EVENT_ATTRIBUTES, XRAY_EXCEPTION_SKIPPED, x.get("skipped"));
      }
      if (x.get("stack") instanceof List) {
        StringBuilder trace = new StringBuilder();
        trace.append(type == null ? "Exception" : type);
        if (message != null) {
          trace.append(": ").append(message);
        }
        for (Object f : (List<?>) x.get("stack")) {
          if (f instanceof Map) {
            Map<?, ?> frame = (Map<?, ?>) f;
            Object line = frame.get("line");
            trace.append('\n').append(stackLine(
                frame.get("label") instanceof String ? (String) frame.get("label") : null,
                frame.get("path") instanceof String ? (String) frame.get("path") : null,
                line instanceof Number ? ((Number) line).longValue() : 0));
          }
        }
        stringAttribute(out, EVENT_ATTRIBUTES, EXCEPTION_STACKTRACE, trace.toString());
      }
      out.end(event);
    }
    return first;
  }

  private static void stringIfPresent(ProtobufWriter out, String key, Object value) {
    stringIfPresent(out, key, value, SPAN_ATTRIBUTES);
  }

  private static void stringIfPresent(ProtobufWriter out, String key, Object value, int field) {
    if (value instanceof String) {
      stringAttribute(out, field, key, (String) value);
    }
  }

  private static void stringAttribute(ProtobufWriter out, int field, String key, String value) {
    int kv = out.begin(field);
    out.stringAlways(KEY_VALUE_KEY, key);
    int any = out.begin(KEY_VALUE_VALUE);
    out.stringAlways(ANY_STRING, value);
    out.end(any);
    out.end(kv);
  }

  private static void boolAttribute(ProtobufWriter out, String key, boolean value) {
    int kv = out.begin(SPAN_ATTRIBUTES);
    out.stringAlways(KEY_VALUE_KEY, key);
    int any = out.begin(KEY_VALUE_VALUE);
    out.varintField(ANY_BOOL, value ? 1 : 0, true);
    out.end(any);
    out.end(kv);
  }

  private static void intAttribute(ProtobufWriter out, String key, long value) {
    int kv = out.begin(SPAN_ATTRIBUTES);
    out.stringAlways(KEY_VALUE_KEY, key);
    int any = out.begin(KEY_VALUE_VALUE);
    out.varintField(ANY_INT, value, true);
    out.end(any);
    out.end(kv);
  }

  private static void anyAttribute(ProtobufWriter out, int field, String key, Object value) {
    if (value == null) {
      return;
    }
    int kv = out.begin(field);
    out.stringAlways(KEY_VALUE_KEY, key);
    int any = out.begin(KEY_VALUE_VALUE);
    anyValue(out, value, 0);
    out.end(any);
    out.end(kv);
  }

  /** The inside of an AnyValue: JSON's types as OTLP's (objects as key-value lists). */
  private static void anyValue(ProtobufWriter out, Object value, int depth) {
    if (value instanceof String) {
      out.stringAlways(ANY_STRING, (String) value);
    } else if (value instanceof Boolean) {
      out.varintField(ANY_BOOL, (Boolean) value ? 1 : 0, true);
    } else if (value instanceof Long || value instanceof Integer) {
      out.varintField(ANY_INT, ((Number) value).longValue(), true);
    } else if (value instanceof Number) {
      out.doubleAlways(ANY_DOUBLE, ((Number) value).doubleValue());
    } else if (value instanceof List && depth < MAX_NESTING) {
      int array = out.begin(ANY_ARRAY);
      for (Object item : (List<?>) value) {
        if (item != null) {
          int v = out.begin(LIST_VALUES);
          anyValue(out, item, depth + 1);
          out.end(v);
        }
      }
      out.end(array);
    } else if (value instanceof Map && depth < MAX_NESTING) {
      int list = out.begin(ANY_KVLIST);
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (entry.getValue() != null) {
          int kv = out.begin(LIST_VALUES);
          out.stringAlways(KEY_VALUE_KEY, String.valueOf(entry.getKey()));
          int any = out.begin(KEY_VALUE_VALUE);
          anyValue(out, entry.getValue(), depth + 1);
          out.end(any);
          out.end(kv);
        }
      }
      out.end(list);
    }
  }

  /** A parsed JSON value written back as JSON (a metadata namespace). */
  private static void writeJson(JsonWriter w, Object value) {
    if (value instanceof Map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        w.name(String.valueOf(e.getKey()));
        writeJson(w, e.getValue());
      }
      w.endObject();
    } else if (value instanceof List) {
      w.beginArray();
      for (Object item : (List<?>) value) {
        writeJson(w, item);
      }
      w.endArray();
    } else if (value instanceof String) {
      w.value((String) value);
    } else if (value instanceof Boolean) {
      w.value((Boolean) value);
    } else if (value instanceof Long) {
      w.value((long) (Long) value);
    } else if (value instanceof Number) {
      w.value(((Number) value).doubleValue());
    } else {
      w.nullValue();
    }
  }

  private static long nanos(Object seconds) {
    if (!(seconds instanceof Number)) {
      return 0;
    }
    // Microseconds first: X-Ray's times have microsecond precision, and a double of epoch
    // nanoseconds does not.
    return Math.round(((Number) seconds).doubleValue() * 1e6) * 1000L;
  }

  /** {@code 1-5f84c7a1-ab12...} as the 16 bytes of its W3C form (the same bits). */
  static byte[] traceIdBytes(String traceId) {
    if (traceId.length() != 35 || traceId.charAt(0) != '1' || traceId.charAt(1) != '-' || traceId.charAt(10) != '-') {
      throw new IllegalArgumentException("not an X-Ray trace id: " + traceId);
    }
    return hexBytes(traceId.substring(2, 10) + traceId.substring(11), 16);
  }

  private static byte[] hexBytes(String hex, int length) {
    if (hex.length() != length * 2) {
      throw new IllegalArgumentException("expected " + length * 2 + " hex digits: " + hex);
    }
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not hexadecimal: " + hex);
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return b;
  }

  private static String str(Map<String, Object> map, String key) {
    Object v = map == null ? null : map.get(key);
    return v instanceof String ? (String) v : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Map<String, Object> map, String key) {
    Object v = map == null ? null : map.get(key);
    return v instanceof Map ? (Map<String, Object>) v : null;
  }
}
