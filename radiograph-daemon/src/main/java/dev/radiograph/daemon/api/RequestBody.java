package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading an X-Ray API request body: one JSON object, with the fields the operations share. */
final class RequestBody {
  private RequestBody() {}

  /** The body as a JSON object; an empty body is an empty object, as the AWS CLI may send. */
  static Map<String, Object> object(byte[] body) {
    if (body.length == 0) {
      return Map.of();
    }
    return Json.asObject(Json.parse(body), "the request body");
  }

  /** The most trace ids {@code BatchGetTraces} and {@code GetTraceGraph} take at once, as in X-Ray. */
  static final int MAX_TRACE_IDS = 100;

  /** The request's {@code TraceIds}: an array of at most {@value #MAX_TRACE_IDS} strings. */
  static List<String> traceIds(Map<String, Object> request) {
    List<Object> ids = Json.asArray(request.get("TraceIds"), "TraceIds");
    if (ids.size() > MAX_TRACE_IDS) {
      throw new IllegalArgumentException("TraceIds takes at most " + MAX_TRACE_IDS + " ids, found " + ids.size());
    }
    List<String> traceIds = new ArrayList<>(ids.size());
    for (Object id : ids) {
      traceIds.add(Json.asString(id, "a trace id"));
    }
    return traceIds;
  }

  /** A time range in epoch seconds. */
  record TimeRange(double start, double end) {}

  /** The request's [StartTime, EndTime], both required, in epoch seconds. */
  static TimeRange timeRange(Map<String, Object> request) {
    double start = time(request, "StartTime");
    double end = time(request, "EndTime");
    if (end < start) {
      throw new IllegalArgumentException("EndTime must not be before StartTime");
    }
    return new TimeRange(start, end);
  }

  /** A required time field, in epoch seconds. */
  private static double time(Map<String, Object> request, String field) {
    Object value = request.get(field);
    if (value == null) {
      throw new IllegalArgumentException(field + " is required (epoch seconds)");
    }
    double seconds = Json.asNumber(value, field).doubleValue();
    if (!Double.isFinite(seconds)) {
      throw new IllegalArgumentException(field + " must be a finite number of epoch seconds");
    }
    return seconds;
  }
}
