package dev.radiograph.daemon.otlp;

import static dev.radiograph.otlp.wire.OtlpAttributes.*;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns OTLP spans into X-Ray segment and subsegment documents the way AWS converts them (the
 * OpenTelemetry Collector's awsxray exporter), as docs/otlp-mapping.md says: server and consumer
 * spans (and spans without a parent) become segments named after {@code service.name}; the
 * others become subsegments, {@code remote} for client and producer spans ({@code aws} when
 * {@code rpc.system=aws-api}); the HTTP, database, RPC and messaging conventions fill the
 * {@code http}, {@code sql} and {@code aws} blocks; keys listed in {@code aws.xray.annotations}
 * become annotations, {@code aws.xray.metadata.*} metadata namespaces, every other attribute
 * metadata in {@code default}; exception events the {@code cause}.
 *
 * <p>RATIONALE (one document per span): spans of one trace reach the daemon in different
 * requests, from different processes, children usually before their parents (they end first).
 * X-Ray accepts a subsegment on its own ({@code type: subsegment}, {@code trace_id},
 * {@code parent_id}) and the store assembles entities by their ids, so each span becomes its own
 * document the moment it arrives; nothing waits for a parent that may never come.
 */
public final class OtlpToXRay {
  private static final int MAX_NAME = 200;
  private static final int MAX_STACK_FRAMES = 100;

  /**
   * The documents of one request, and the spans that could not be converted.
   *
   * @param documents X-Ray documents (JSON text), one per accepted span
   * @param rejected spans left out (bad ids or times)
   * @param errorMessage why the first one was left out, or null
   */
  public record Result(List<String> documents, long rejected, String errorMessage) {}

  private OtlpToXRay() {}

  /** Converts every span of {@code request}. Never throws for a bad span: it is counted. */
  public static Result convert(ExportTraceServiceRequest request) {
    List<String> documents = new ArrayList<>();
    long rejected = 0;
    String error = null;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, AnyValue> resource = map(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          try {
            documents.add(DocumentJson.write(document(span, resource)));
          } catch (IllegalArgumentException e) {
            rejected++;
            if (error == null) {
              error = e.getMessage();
            }
          }
        }
      }
    }
    return new Result(documents, rejected, error);
  }

  /** The X-Ray document of one span under its resource's attributes. */
  static Map<String, Object> document(Span span, Map<String, AnyValue> resource) {
    String traceHex = hex(span.getTraceId().toByteArray(), 16, "trace_id");
    String id = hex(span.getSpanId().toByteArray(), 8, "span_id");
    String parent = span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId().toByteArray(), 8, "parent_span_id");
    if (span.getStartTimeUnixNano() == 0) {
      throw new IllegalArgumentException("span " + id + " has no start_time_unix_nano");
    }
    Map<String, AnyValue> attributes = map(span.getAttributesList());
    Set<String> used = new HashSet<>();
    Span.SpanKind kind = span.getKind();
    boolean segment = parent == null || kind == Span.SpanKind.SPAN_KIND_SERVER || kind == Span.SpanKind.SPAN_KIND_CONSUMER;
    boolean outgoing = kind == Span.SpanKind.SPAN_KIND_CLIENT || kind == Span.SpanKind.SPAN_KIND_PRODUCER;
    boolean awsCall = !segment && outgoing && RPC_SYSTEM_AWS.equals(text(attributes, used, RPC_SYSTEM));

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", name(span, segment, awsCall, outgoing, attributes, resource, used));
    doc.put("id", id);
    doc.put("trace_id", "1-" + traceHex.substring(0, 8) + "-" + traceHex.substring(8));
    if (parent != null) {
      doc.put("parent_id", parent);
    }
    if (!segment) {
      doc.put("type", "subsegment");
      if (outgoing) {
        doc.put("namespace", awsCall ? "aws" : "remote");
      }
    }
    doc.put("start_time", new DocumentJson.EpochMicros(span.getStartTimeUnixNano() / 1000));
    if (Boolean.TRUE.equals(bool(attributes, used, XRAY_IN_PROGRESS))) {
      doc.put("in_progress", true);
    } else {
      long end = Math.max(span.getEndTimeUnixNano(), span.getStartTimeUnixNano());
      doc.put("end_time", new DocumentJson.EpochMicros(end / 1000));
    }
    if (segment) {
      String origin = originOf(stringOf(resource.get(CLOUD_PLATFORM)));
      if (origin != null) {
        doc.put("origin", origin);
      }
      String version = stringOf(resource.get(SERVICE_VERSION));
      if (version != null) {
        doc.put("service", Map.of("version", version));
      }
    }
    String user = text(attributes, used, ENDUSER_ID);
    if (user != null) {
      doc.put("user", user);
    }
    Map<String, Object> http = http(attributes, used, segment);
    Long status = null;
    if (!http.isEmpty()) {
      doc.put("http", http);
      Object response = http.get("response");
      if (response instanceof Map && ((Map<?, ?>) response).get("status") instanceof Long) {
        status = (Long) ((Map<?, ?>) response).get("status");
      }
    }
    flags(doc, span.getStatus(), status, attributes, used);
    Map<String, Object> sql = sql(attributes, used);
    if (!sql.isEmpty()) {
      doc.put("sql", sql);
    }
    Map<String, Object> aws = segment ? segmentAws(resource) : awsCall ? awsCall(attributes, used) : Map.of();
    if (!aws.isEmpty()) {
      doc.put("aws", aws);
    }
    Map<String, Object> cause = cause(span, id);
    if (cause != null) {
      doc.put("cause", cause);
    }
    Map<String, Object> annotations = annotations(attributes, used);
    if (!annotations.isEmpty()) {
      doc.put("annotations", annotations);
    }
    Map<String, Object> metadata = metadata(attributes, used);
    if (!metadata.isEmpty()) {
      doc.put("metadata", metadata);
    }
    return doc;
  }

  private static String name(Span span, boolean segment, boolean awsCall, boolean outgoing,
      Map<String, AnyValue> attributes, Map<String, AnyValue> resource, Set<String> used) {
    String name;
    if (segment) {
      name = stringOf(resource.get(SERVICE_NAME));
    } else if (outgoing) {
      name = text(attributes, used, PEER_SERVICE);
      if (name == null && awsCall) {
        name = first(attributes, used, RPC_SERVICE, AWS_SERVICE);
      }
      if (name == null && (attributes.containsKey(DB_SYSTEM) || attributes.containsKey(DB_SYSTEM_NAME))) {
        name = stringOf(first(attributes, DB_NAMESPACE, DB_NAME_OLD));
      }
      if (name == null) {
        name = stringOf(first(attributes, SERVER_ADDRESS, NET_PEER_NAME_OLD));
      }
      if (name == null) {
        name = hostOf(stringOf(first(attributes, URL_FULL, HTTP_URL_OLD)));
      }
      if (name == null && attributes.containsKey(MESSAGING_SYSTEM)) {
        name = stringOf(first(attributes, MESSAGING_DESTINATION, MESSAGING_DESTINATION_OLD));
      }
    } else {
      name = null;
    }
    if (name == null || name.isBlank()) {
      name = segment ? "unknown_service" : span.getName();
    }
    return xrayName(name.isBlank() ? "span" : name);
  }

  /** X-Ray's name rule: at most 200 of letters, digits, spaces and {@code _.:/%&#=+\-@}. */
  static String xrayName(String name) {
    StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_NAME));
    for (int i = 0; i < name.length() && b.length() < MAX_NAME; i++) {
      char c = name.charAt(i);
      b.append(Character.isLetterOrDigit(c) || Character.isSpaceChar(c) || "_.:/%&#=+\\-@".indexOf(c) >= 0 ? c : '_');
    }
    return b.toString();
  }

  private static Map<String, Object> http(Map<String, AnyValue> a, Set<String> used, boolean segment) {
    Map<String, Object> request = new LinkedHashMap<>();
    putIfNotNull(request, "method", first(a, used, HTTP_REQUEST_METHOD, HTTP_METHOD_OLD));
    String url = first(a, used, URL_FULL, HTTP_URL_OLD);
    if (url == null && segment) {
      url = serverUrl(a, used);
    }
    putIfNotNull(request, "url", url);
    putIfNotNull(request, "user_agent", first(a, used, USER_AGENT, USER_AGENT_OLD));
    putIfNotNull(request, "client_ip", first(a, used, CLIENT_ADDRESS, CLIENT_IP_OLD));
    putIfNotNull(request, "x_forwarded_for", bool(a, used, XRAY_X_FORWARDED_FOR));
    putIfNotNull(request, "traced", bool(a, used, XRAY_TRACED));
    Map<String, Object> response = new LinkedHashMap<>();
    putIfNotNull(response, "status", firstLong(a, used, HTTP_STATUS, HTTP_STATUS_OLD));
    putIfNotNull(response, "content_length", firstLong(a, used, HTTP_RESPONSE_SIZE, HTTP_RESPONSE_SIZE_OLD));
    Map<String, Object> http = new LinkedHashMap<>();
    if (!request.isEmpty()) {
      http.put("request", request);
    }
    if (!response.isEmpty()) {
      http.put("response", response);
    }
    return http;
  }

  /** A server span's URL from its parts (stable, then old names), or null. */
  private static String serverUrl(Map<String, AnyValue> a, Set<String> used) {
    String path = stringOf(first(a, URL_PATH, HTTP_TARGET_OLD));
    if (path == null) {
      return null;
    }
    String scheme = stringOf(first(a, URL_SCHEME, HTTP_SCHEME_OLD));
    String host = stringOf(first(a, SERVER_ADDRESS, HTTP_HOST_OLD, NET_HOST_NAME_OLD));
    Object port = first(a, SERVER_PORT);
    used.add(URL_PATH);
    used.add(HTTP_TARGET_OLD);
    String query = stringOf(a.get(URL_QUERY));
    if (query != null) {
      used.add(URL_QUERY);
    }
    String hostPart = host == null ? "" : host + (port instanceof Long && !host.contains(":") ? ":" + port : "");
    return (scheme == null ? "http" : scheme) + "://" + hostPart + path + (query == null ? "" : "?" + query);
  }

  private static void flags(Map<String, Object> doc, Status status, Long httpStatus, Map<String, AnyValue> a,
      Set<String> used) {
    boolean error = false;
    boolean fault = false;
    boolean throttle = false;
    if (httpStatus != null && httpStatus >= 400 && httpStatus < 500) {
      error = true;
      throttle = httpStatus == 429;
    } else if (httpStatus != null && httpStatus >= 500) {
      fault = true;
    } else if (status.getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
      fault = true;
    }
    Boolean explicit = bool(a, used, XRAY_ERROR);
    error = explicit != null ? explicit : error;
    explicit = bool(a, used, XRAY_FAULT);
    fault = explicit != null ? explicit : fault;
    explicit = bool(a, used, XRAY_THROTTLE);
    throttle = explicit != null ? explicit : throttle;
    if (error) {
      doc.put("error", true);
    }
    if (fault) {
      doc.put("fault", true);
    }
    if (throttle) {
      doc.put("throttle", true);
    }
  }

  private static Map<String, Object> sql(Map<String, AnyValue> a, Set<String> used) {
    Map<String, Object> sql = new LinkedHashMap<>();
    String system = first(a, used, DB_SYSTEM, DB_SYSTEM_NAME);
    String query = first(a, used, DB_QUERY_TEXT, DB_STATEMENT_OLD);
    String connection = text(a, used, DB_CONNECTION_STRING);
    if (system == null && query == null && connection == null) {
      return sql;
    }
    String database = first(a, used, DB_NAMESPACE, DB_NAME_OLD);
    String url = connection;
    if (url == null) {
      String host = stringOf(first(a, SERVER_ADDRESS, NET_PEER_NAME_OLD));
      Object port = first(a, SERVER_PORT, NET_PEER_PORT_OLD);
      url = host == null ? null : host + (port instanceof Long ? ":" + port : "");
    }
    if (url != null && database != null && connection == null) {
      url = url + "/" + database;
    } else if (url == null) {
      url = database;
    }
    putIfNotNull(sql, "url", url);
    putIfNotNull(sql, "sanitized_query", query);
    putIfNotNull(sql, "database_type", system);
    putIfNotNull(sql, "user", text(a, used, DB_USER));
    for (Map.Entry<String, AnyValue> e : a.entrySet()) {
      if (e.getKey().startsWith(XRAY_SQL_PREFIX)) {
        used.add(e.getKey());
        sql.put(e.getKey().substring(XRAY_SQL_PREFIX.length()), javaValue(e.getValue(), 0));
      }
    }
    return sql;
  }

  /** The {@code aws} block of an AWS call: its operation, and every {@code aws.<field>} attribute. */
  private static Map<String, Object> awsCall(Map<String, AnyValue> a, Set<String> used) {
    Map<String, Object> aws = new LinkedHashMap<>();
    putIfNotNull(aws, "operation", first(a, used, AWS_OPERATION, RPC_METHOD));
    used.add(AWS_SERVICE);
    for (Map.Entry<String, AnyValue> e : a.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(AWS_PREFIX) && key.indexOf('.', AWS_PREFIX.length()) < 0 && !used.contains(key)) {
        used.add(key);
        aws.put(key.substring(AWS_PREFIX.length()), javaValue(e.getValue(), 0));
      }
    }
    if (!aws.containsKey("request_id")) {
      putIfNotNull(aws, "request_id", text(a, used, AWS_REQUEST_ID_2));
    }
    if (!aws.containsKey("queue_url")) {
      putIfNotNull(aws, "queue_url", first(a, used, AWS_QUEUE_URL_2, MESSAGING_URL_OLD));
    }
    AnyValue tables = a.get(AWS_TABLE_NAMES);
    if (!aws.containsKey("table_name") && tables != null && tables.getArrayValue().getValuesCount() == 1) {
      used.add(AWS_TABLE_NAMES);
      aws.put("table_name", tables.getArrayValue().getValues(0).getStringValue());
    }
    return aws;
  }

  /** A segment's {@code aws.xray} block: the SDK that recorded it, from {@code telemetry.sdk.*}. */
  private static Map<String, Object> segmentAws(Map<String, AnyValue> resource) {
    String sdk = stringOf(resource.get(TELEMETRY_SDK_NAME));
    if (sdk == null) {
      return Map.of();
    }
    String language = stringOf(resource.get(TELEMETRY_SDK_LANGUAGE));
    if (language != null && !language.isEmpty()) {
      sdk = sdk + " for " + Character.toUpperCase(language.charAt(0)) + language.substring(1);
    }
    Map<String, Object> xray = new LinkedHashMap<>();
    xray.put("sdk", sdk);
    putIfNotNull(xray, "sdk_version", stringOf(resource.get(TELEMETRY_SDK_VERSION)));
    return Map.of("xray", xray);
  }

  private static Map<String, Object> cause(Span span, String spanId) {
    List<Object> exceptions = new ArrayList<>();
    int index = 0;
    for (Span.Event event : span.getEventsList()) {
      if (!EXCEPTION_EVENT.equals(event.getName())) {
        continue;
      }
      Map<String, AnyValue> a = map(event.getAttributesList());
      Map<String, Object> x = new LinkedHashMap<>();
      String id = stringOf(a.get(XRAY_EXCEPTION_ID));
      x.put("id", id != null ? id : exceptionId(spanId, index));
      putIfNotNull(x, "message", stringOf(a.get(EXCEPTION_MESSAGE)));
      putIfNotNull(x, "type", stringOf(a.get(EXCEPTION_TYPE)));
      if (a.containsKey(XRAY_EXCEPTION_REMOTE) && a.get(XRAY_EXCEPTION_REMOTE).getBoolValue()) {
        x.put("remote", true);
      }
      String stacktrace = stringOf(a.get(EXCEPTION_STACKTRACE));
      if (stacktrace != null) {
        stack(x, stacktrace);
      }
      if (a.containsKey(XRAY_EXCEPTION_TRUNCATED) && a.get(XRAY_EXCEPTION_TRUNCATED).hasIntValue()) {
        x.put("truncated", a.get(XRAY_EXCEPTION_TRUNCATED).getIntValue());
      }
      if (a.containsKey(XRAY_EXCEPTION_SKIPPED) && a.get(XRAY_EXCEPTION_SKIPPED).hasIntValue()) {
        x.put("skipped", a.get(XRAY_EXCEPTION_SKIPPED).getIntValue());
      }
      putIfNotNull(x, "cause", stringOf(a.get(XRAY_EXCEPTION_CAUSE)));
      exceptions.add(x);
      index++;
    }
    if (exceptions.isEmpty()) {
      return null;
    }
    Map<String, Object> cause = new LinkedHashMap<>();
    cause.put("exceptions", exceptions);
    return cause;
  }

  /** An exception id for an event that brought none: the span's id with the event's index mixed in. */
  private static String exceptionId(String spanId, int index) {
    long id = Long.parseUnsignedLong(spanId, 16) ^ (0x9E3779B97F4A7C15L * (index + 1));
    return String.format(Locale.ROOT, "%016x", id);
  }

  /** Java frames ({@code at label(path:line)}) into X-Ray's {@code stack}. */
  private static void stack(Map<String, Object> x, String stacktrace) {
    List<Object> frames = new ArrayList<>();
    int more = 0;
    for (String raw : stacktrace.split("\n")) {
      String line = raw.trim();
      if (!line.startsWith("at ")) {
        continue;
      }
      if (frames.size() >= MAX_STACK_FRAMES) {
        more++;
        continue;
      }
      int open = line.lastIndexOf('(');
      int close = line.lastIndexOf(')');
      Map<String, Object> frame = new LinkedHashMap<>();
      if (open < 0 || close < open) {
        frame.put("label", line.substring(3));
      } else {
        String location = line.substring(open + 1, close);
        int colon = location.lastIndexOf(':');
        String path = colon > 0 ? location.substring(0, colon) : location;
        if (!path.equals("Unknown Source")) {
          frame.put("path", path);
        }
        if (colon > 0) {
          try {
            frame.put("line", Long.parseLong(location.substring(colon + 1)));
          } catch (NumberFormatException e) {
            frame.put("path", location);
          }
        }
        frame.put("label", line.substring(3, open));
      }
      frames.add(frame);
    }
    if (!frames.isEmpty()) {
      x.put("stack", frames);
    }
    if (more > 0) {
      x.put("truncated", (long) more);
    }
  }

  private static Map<String, Object> annotations(Map<String, AnyValue> a, Set<String> used) {
    Map<String, Object> annotations = new LinkedHashMap<>();
    AnyValue keys = a.get(XRAY_ANNOTATIONS);
    if (keys == null) {
      return annotations;
    }
    used.add(XRAY_ANNOTATIONS);
    List<String> names = new ArrayList<>();
    if (keys.hasArrayValue()) {
      for (AnyValue k : keys.getArrayValue().getValuesList()) {
        names.add(k.getStringValue());
      }
    } else if (keys.hasStringValue()) {
      names.add(keys.getStringValue());
    }
    for (String key : names) {
      AnyValue value = a.get(key);
      if (value == null) {
        continue;
      }
      Object v = javaValue(value, 0);
      if (v instanceof String || v instanceof Boolean || v instanceof Number) {
        used.add(key);
        annotations.put(annotationKey(key), v);
      }
    }
    return annotations;
  }

  /** X-Ray annotation keys are letters, digits and underscores (AWS replaces the rest with {@code _}). */
  private static String annotationKey(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length() && b.length() < 500; i++) {
      char c = key.charAt(i);
      b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    return b.toString();
  }

  private static Map<String, Object> metadata(Map<String, AnyValue> a, Set<String> used) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, AnyValue> e : a.entrySet()) {
      if (e.getKey().startsWith(XRAY_METADATA_PREFIX)) {
        used.add(e.getKey());
        String namespace = e.getKey().substring(XRAY_METADATA_PREFIX.length());
        Object value = javaValue(e.getValue(), 0);
        if (value instanceof String) {
          try {
            value = DocumentJson.parse((String) value);
          } catch (IllegalArgumentException notJson) {
            // Kept as the text it is.
          }
        }
        metadata.put(namespace, value);
      }
    }
    Map<String, Object> rest = new LinkedHashMap<>();
    for (Map.Entry<String, AnyValue> e : a.entrySet()) {
      if (!used.contains(e.getKey())) {
        rest.put(e.getKey(), javaValue(e.getValue(), 0));
      }
    }
    if (!rest.isEmpty()) {
      Object existing = metadata.get("default");
      if (existing instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
        merged.putAll(rest);
        metadata.put("default", merged);
      } else {
        metadata.put("default", rest);
      }
    }
    return metadata;
  }

  /** An attribute value as JSON's types: key-value lists as maps, bytes as base64. */
  static Object javaValue(AnyValue v, int depth) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE:
        if (depth > 16) {
          return null;
        }
        List<Object> list = new ArrayList<>();
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          list.add(javaValue(item, depth + 1));
        }
        return list;
      case KVLIST_VALUE:
        if (depth > 16) {
          return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          map.put(kv.getKey(), javaValue(kv.getValue(), depth + 1));
        }
        return map;
      default:
        return null;
    }
  }

  static Map<String, AnyValue> map(List<KeyValue> list) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      map.put(kv.getKey(), kv.getValue());
    }
    return map;
  }

  private static String hex(byte[] bytes, int length, String field) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, found " + bytes.length);
    }
    boolean zero = true;
    StringBuilder b = new StringBuilder(length * 2);
    for (byte x : bytes) {
      zero &= x == 0;
      b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    if (zero) {
      throw new IllegalArgumentException(field + " must not be all zeros");
    }
    return b.toString();
  }

  private static String hostOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      return java.net.URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String stringOf(Object v) {
    if (v instanceof AnyValue) {
      AnyValue any = (AnyValue) v;
      return any.hasStringValue() ? any.getStringValue() : null;
    }
    return null;
  }

  private static String text(Map<String, AnyValue> a, Set<String> used, String key) {
    String s = stringOf(a.get(key));
    if (s != null) {
      used.add(key);
    }
    return s;
  }

  private static Boolean bool(Map<String, AnyValue> a, Set<String> used, String key) {
    AnyValue v = a.get(key);
    if (v == null || !v.hasBoolValue()) {
      return null;
    }
    used.add(key);
    return v.getBoolValue();
  }

  /** The first of {@code keys} that is a string, marking it used (the others too: they say the same). */
  private static String first(Map<String, AnyValue> a, Set<String> used, String... keys) {
    String found = null;
    for (String key : keys) {
      String s = stringOf(a.get(key));
      if (s != null) {
        used.add(key);
        if (found == null) {
          found = s;
        }
      }
    }
    return found;
  }

  /** The first of {@code keys} present, as its value (for reading without consuming). */
  private static Object first(Map<String, AnyValue> a, String... keys) {
    for (String key : keys) {
      AnyValue v = a.get(key);
      if (v != null) {
        return v.hasIntValue() ? (Object) v.getIntValue() : v;
      }
    }
    return null;
  }

  private static Long firstLong(Map<String, AnyValue> a, Set<String> used, String... keys) {
    for (String key : keys) {
      AnyValue v = a.get(key);
      if (v != null && (v.hasIntValue() || v.hasStringValue() || v.hasDoubleValue())) {
        try {
          long value = v.hasIntValue() ? v.getIntValue()
              : v.hasDoubleValue() ? (long) v.getDoubleValue() : Long.parseLong(v.getStringValue());
          used.add(key);
          return value;
        } catch (NumberFormatException e) {
          // Not a number: left as metadata.
        }
      }
    }
    return null;
  }

  private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
