package dev.radiograph.daemon.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.radiograph.daemon.query.FilterExpression;
import dev.radiograph.daemon.query.FilterSyntaxException;
import dev.radiograph.daemon.sampling.SamplingProxy;
import dev.radiograph.daemon.store.DocumentSummary;
import dev.radiograph.daemon.store.StoreStats;
import dev.radiograph.daemon.store.StoredTrace;
import dev.radiograph.daemon.store.TraceAssembly;
import dev.radiograph.daemon.store.TraceStore;
import dev.radiograph.internal.JsonParseException;
import dev.radiograph.internal.JsonReader;
import dev.radiograph.internal.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The daemon's HTTP side: the AWS X-Ray API paths and JSON (so the AWS SDKs and CLI work against
 * it with an endpoint override), the daemon's own counters, and the viewer's static files and
 * settings. Every bad request gets a 400 with X-Ray's error shape and a message that says what
 * is wrong; nothing a client sends can take the daemon down.
 */
public final class XRayApi implements HttpHandler {
  private static final Logger LOG = System.getLogger(XRayApi.class.getName());
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  private static final int PAGE_SIZE = 1000;
  private static final int MAX_TRACE_IDS = 100;
  private static final String VIEWER = "/dev/radiograph/daemon/viewer/";

  private final TraceStore store;
  private final SamplingProxy sampling;
  private final Consumer<DocumentSummary> forward;
  private final UnaryOperator<byte[]> remoteRules;
  private final UnaryOperator<byte[]> remoteTargets;
  private final byte[] viewerSettings;

  /**
   * @param forward receives documents put through {@code PutTraceSegments}, or null
   * @param remoteRules when forwarding to AWS, answers {@code GetSamplingRules} from AWS; or null
   * @param remoteTargets when forwarding to AWS, answers {@code SamplingTargets} from AWS; or null
   * @param logsUrl the viewer's link to the user's log search, or null
   */
  public XRayApi(TraceStore store, SamplingProxy sampling, Consumer<DocumentSummary> forward,
      UnaryOperator<byte[]> remoteRules, UnaryOperator<byte[]> remoteTargets, LogsUrlTemplate logsUrl) {
    this.store = store;
    this.sampling = sampling;
    this.forward = forward;
    this.remoteRules = remoteRules;
    this.remoteTargets = remoteTargets;
    this.viewerSettings = viewerSettings(logsUrl);
  }

  /**
   * What the viewer reads once at load ({@code GET /radiograph/viewer-settings}): the logs link
   * template split into literal text and placeholder names, so that the page never parses it.
   * A JSON endpoint rather than a value written into index.html keeps the page static and its
   * Content-Security-Policy free of inline script.
   */
  private static byte[] viewerSettings(LogsUrlTemplate logsUrl) {
    JsonWriter w = new JsonWriter(256).beginObject().name("logsUrl");
    if (logsUrl == null) {
      return w.nullValue().endObject().toByteArray();
    }
    w.beginObject().name("template").value(logsUrl.text()).name("parts").beginArray();
    for (LogsUrlTemplate.Part part : logsUrl.parts()) {
      w.beginObject();
      if (part.placeholder() != null) {
        w.name("placeholder").value(part.placeholder());
      } else {
        w.name("text").value(part.text());
      }
      w.endObject();
    }
    return w.endArray().endObject().endObject().toByteArray();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if ("GET".equals(method) || "HEAD".equals(method)) {
        handleGet(exchange, path);
        return;
      }
      if (!"POST".equals(method)) {
        error(exchange, 405, "InvalidRequestException", "use POST for the X-Ray API, GET for the viewer");
        return;
      }
      byte[] body = readBody(exchange);
      if (body == null) {
        error(exchange, 413, "InvalidRequestException", "request body larger than " + MAX_BODY_BYTES + " bytes");
        return;
      }
      byte[] response;
      switch (path) {
        case "/TraceSegments":
          response = putTraceSegments(body);
          break;
        case "/TraceSummaries":
          response = getTraceSummaries(body);
          break;
        case "/Traces":
          response = batchGetTraces(body);
          break;
        case "/ServiceGraph":
          response = getServiceGraph(body);
          break;
        case "/GetSamplingRules":
          response = remoteRules != null ? remoteRules.apply(body) : sampling.getSamplingRules(body);
          break;
        case "/radiograph/histogram": response = ResponseTimeHistogram.answer(body, store); break;
        case "/SamplingTargets":
          response = remoteTargets != null ? remoteTargets.apply(body) : sampling.samplingTargets(body);
          break;
        default:
          error(exchange, 404, "InvalidRequestException", "no X-Ray API at " + path);
          return;
      }
      send(exchange, 200, "application/json", response);
    } catch (dev.radiograph.daemon.forward.SamplingProxyException e) {
      error(exchange, e.statusCode(), e.errorType(), e.getMessage());
    } catch (FilterSyntaxException e) {
      error(exchange, 400, "InvalidRequestException", "FilterExpression " + e.getMessage());
    } catch (JsonParseException e) {
      error(exchange, 400, "InvalidRequestException", "request body is not valid JSON: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      error(exchange, 400, "InvalidRequestException", e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Radiograph daemon: request failed", e);
      error(exchange, 500, "InternalFailure", "the daemon failed to answer: " + e);
    } finally {
      exchange.close();
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }
  }

  // ------------------------------------------------------------------ PutTraceSegments

  private byte[] putTraceSegments(byte[] body) {
    Map<String, Object> request = object(body);
    List<Object> documents = JsonReader.asArray(request.get("TraceSegmentDocuments"), "TraceSegmentDocuments");
    if (documents.size() > 50) {
      throw new IllegalArgumentException("TraceSegmentDocuments takes at most 50 documents, found " + documents.size());
    }
    JsonWriter w = new JsonWriter(256).beginObject().name("UnprocessedTraceSegments").beginArray();
    for (Object item : documents) {
      if (!(item instanceof String)) {
        store.rejectMalformed();
        unprocessed(w, null, "InvalidDocument", "each document must be a JSON string");
        continue;
      }
      String text = (String) item;
      if (DocumentSummary.utf8Length(text) > TraceStore.MAX_DOCUMENT_BYTES) {
        store.rejectOversize();
        unprocessed(w, null, "DocumentTooLarge", "a document may be at most 64 KB");
        continue;
      }
      try {
        DocumentSummary document = DocumentSummary.parse(text);
        store.add(document);
        if (forward != null) {
          forward.accept(document);
        }
      } catch (IllegalArgumentException e) {
        store.reject(e);
        unprocessed(w, idOf(text), "InvalidDocument", e.getMessage());
      }
    }
    return w.endArray().endObject().toByteArray();
  }

  private static void unprocessed(JsonWriter w, String id, String code, String message) {
    w.beginObject();
    if (id != null) {
      w.name("Id").value(id);
    }
    w.name("ErrorCode").value(code).name("Message").value(message).endObject();
  }

  private static String idOf(String text) {
    try {
      Object id = JsonReader.asObject(JsonReader.parse(text), "document").get("id");
      return id instanceof String ? (String) id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ GetTraceSummaries

  private byte[] getTraceSummaries(byte[] body) {
    Map<String, Object> request = object(body);
    double start = time(request, "StartTime");
    double end = time(request, "EndTime");
    if (end < start) {
      throw new IllegalArgumentException("EndTime must not be before StartTime");
    }
    Object filterText = request.get("FilterExpression");
    FilterExpression filter = FilterExpression.parse(filterText instanceof String ? (String) filterText : null);
    int offset = 0;
    Object token = request.get("NextToken");
    if (token instanceof String && !((String) token).isEmpty()) {
      try {
        offset = Integer.parseInt((String) token);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("NextToken is not one this daemon gave out");
      }
    }
    int first = offset;
    return store.read(s -> {
      List<StoredTrace> matches = s.find(start, end, filter::matches);
      JsonWriter w = new JsonWriter(4096).beginObject().name("TraceSummaries").beginArray();
      int last = Math.min(matches.size(), first + PAGE_SIZE);
      for (int i = first; i < last; i++) {
        writeSummary(w, matches.get(i));
      }
      w.endArray()
          .name("ApproximateTime").value(end)
          .name("TracesProcessedCount").value(matches.size());
      w.name("NextToken");
      if (last < matches.size()) {
        w.value(Integer.toString(last));
      } else {
        w.nullValue();
      }
      return w.endObject().toByteArray();
    });
  }

  private static void writeSummary(JsonWriter w, StoredTrace trace) {
    DocumentSummary root = trace.root();
    w.beginObject()
        .name("Id").value(trace.traceId())
        .name("StartTime").value(trace.startTime())
        .name("Duration").value(trace.duration())
        .name("ResponseTime").value(trace.responseTime())
        .name("HasError").value(trace.hasError())
        .name("HasFault").value(trace.hasFault())
        .name("HasThrottle").value(trace.hasThrottle())
        .name("IsPartial").value(trace.isPartial())
        .name("LimitExceeded").value(trace.truncated());
    w.name("Http").beginObject();
    if (trace.httpUrl() != null) {
      w.name("HttpURL").value(trace.httpUrl());
    }
    if (trace.httpStatus() != null) {
      w.name("HttpStatus").value(trace.httpStatus());
    }
    if (trace.httpMethod() != null) {
      w.name("HttpMethod").value(trace.httpMethod());
    }
    if (trace.httpUserAgent() != null) {
      w.name("UserAgent").value(trace.httpUserAgent());
    }
    if (trace.httpClientIp() != null) {
      w.name("ClientIp").value(trace.httpClientIp());
    }
    w.endObject();
    w.name("Annotations").beginObject();
    for (Map.Entry<String, List<Object>> e : trace.annotations().entrySet()) {
      w.name(e.getKey()).beginArray();
      for (Object value : e.getValue()) {
        w.beginObject().name("AnnotationValue").beginObject();
        if (value instanceof Boolean) {
          w.name("BooleanValue").value((boolean) (Boolean) value);
        } else if (value instanceof Number) {
          w.name("NumberValue").value(((Number) value).doubleValue());
        } else {
          w.name("StringValue").value(String.valueOf(value));
        }
        w.endObject().endObject();
      }
      w.endArray();
    }
    w.endObject();
    w.name("Users").beginArray();
    for (String user : trace.users()) {
      w.beginObject().name("UserName").value(user).endObject();
    }
    w.endArray();
    w.name("ServiceIds").beginArray();
    for (String service : trace.services()) {
      w.beginObject().name("Name").value(service)
          .name("Names").beginArray().value(service).endArray()
          .name("Type").value("AWS::Service").endObject();
    }
    w.endArray();
    if (root != null) {
      w.name("EntryPoint").beginObject().name("Name").value(root.name())
          .name("Names").beginArray().value(root.name()).endArray()
          .name("Type").value(root.origin() != null ? root.origin() : "client").endObject();
    }
    w.endObject();
  }

  // ------------------------------------------------------------------ BatchGetTraces

  private byte[] batchGetTraces(byte[] body) {
    Map<String, Object> request = object(body);
    List<Object> ids = JsonReader.asArray(request.get("TraceIds"), "TraceIds");
    if (ids.size() > MAX_TRACE_IDS) {
      throw new IllegalArgumentException("TraceIds takes at most " + MAX_TRACE_IDS + " ids, found " + ids.size());
    }
    return store.read(s -> {
      JsonWriter w = new JsonWriter(16 * 1024).beginObject().name("Traces").beginArray();
      List<String> unprocessed = new ArrayList<>();
      for (Object item : ids) {
        String id = JsonReader.asString(item, "a trace id");
        StoredTrace trace = s.get(id);
        if (trace == null) {
          unprocessed.add(id);
          continue;
        }
        w.beginObject()
            .name("Id").value(id)
            .name("Duration").value(trace.duration())
            .name("LimitExceeded").value(trace.truncated())
            .name("Segments").beginArray();
        for (Map.Entry<String, String> segment : TraceAssembly.segments(trace).entrySet()) {
          w.beginObject().name("Id").value(segment.getKey()).name("Document").value(segment.getValue()).endObject();
        }
        w.endArray().endObject();
      }
      w.endArray().name("UnprocessedTraceIds").beginArray();
      for (String id : unprocessed) {
        w.value(id);
      }
      return w.endArray().endObject().toByteArray();
    });
  }

  // ------------------------------------------------------------------ GetServiceGraph

  private byte[] getServiceGraph(byte[] body) {
    Map<String, Object> request = object(body);
    double start = time(request, "StartTime");
    double end = time(request, "EndTime");
    return store.read(s -> {
      ServiceGraph graph = new ServiceGraph();
      for (StoredTrace trace : s.find(start, end, t -> true)) {
        graph.add(trace);
      }
      JsonWriter w = new JsonWriter(4096);
      graph.write(w, start, end);
      return w.toByteArray();
    });
  }

  // ------------------------------------------------------------------ GET: stats and viewer

  private void handleGet(HttpExchange exchange, String path) throws IOException {
    if (path.equals("/radiograph/stats")) {
      StoreStats stats = store.stats();
      JsonWriter w = new JsonWriter(512).beginObject()
          .name("received").value(stats.received())
          .name("accepted").value(stats.accepted())
          .name("rejectedMalformed").value(stats.rejectedMalformed())
          .name("rejectedOversize").value(stats.rejectedOversize())
          .name("rejectedNonFinite").value(stats.rejectedNonFinite())
          .name("droppedOverload").value(stats.droppedOverload())
          .name("truncatedTraces").value(stats.truncatedTraces())
          .name("truncatedDocuments").value(stats.truncatedDocuments())
          .name("evictedTraces").value(stats.evictedTraces())
          .name("evictedDocuments").value(stats.evictedDocuments())
          .name("storedTraces").value(stats.storedTraces())
          .name("storedDocuments").value(stats.storedDocuments())
          .name("storedBytes").value(stats.storedBytes())
          .name("store").value(store.description());
      w.name("sampling").beginObject();
      for (Map.Entry<String, long[]> e : sampling.totals().entrySet()) {
        long[] t = e.getValue();
        w.name(e.getKey()).beginObject()
            .name("requests").value(t[0]).name("sampled").value(t[1]).name("borrowed").value(t[2])
            .name("anomalies").value(t[3]).name("boosted").value(t[4] != 0)
            .endObject();
      }
      w.endObject().endObject();
      send(exchange, 200, "application/json", w.toByteArray());
      return;
    }
    if (path.equals("/radiograph/viewer-settings")) {
      send(exchange, 200, "application/json", viewerSettings);
      return;
    }
    String resource;
    if (path.equals("/") || path.equals("/index.html")) {
      resource = "index.html";
    } else if (path.startsWith("/viewer/") && path.length() > 8) {
      resource = path.substring(8);
    } else {
      error(exchange, 404, "NotFound", "nothing at " + path);
      return;
    }
    if (!resource.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+")) {
      error(exchange, 404, "NotFound", "nothing at " + path);
      return;
    }
    try (InputStream in = XRayApi.class.getResourceAsStream(VIEWER + resource)) {
      if (in == null) {
        error(exchange, 404, "NotFound", "nothing at " + path);
        return;
      }
      send(exchange, 200, contentType(resource), in.readAllBytes());
    }
  }

  private static String contentType(String resource) {
    if (resource.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (resource.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (resource.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (resource.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return "application/octet-stream";
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, Object> object(byte[] body) {
    if (body.length == 0) {
      return Map.of();
    }
    return JsonReader.asObject(JsonReader.parse(body), "the request body");
  }

  private static double time(Map<String, Object> request, String field) {
    Object value = request.get(field);
    if (value == null) {
      throw new IllegalArgumentException(field + " is required (epoch seconds)");
    }
    return JsonReader.asNumber(value, field).doubleValue();
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    JsonWriter w = new JsonWriter(256).beginObject()
        .name("__type").value(type)
        .name("message").value(message)
        .endObject();
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    send(exchange, status, "application/json", w.toByteArray());
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
