package dev.radiograph.daemon.api;

import dev.radiograph.daemon.json.Json;
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
