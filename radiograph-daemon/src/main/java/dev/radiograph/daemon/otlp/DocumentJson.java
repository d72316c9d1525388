package dev.radiograph.daemon.otlp;

import dev.radiograph.daemon.json.Json;
import dev.radiograph.daemon.json.JsonOutput;
import java.util.List;
import java.util.Map;

/**
 * The JSON this package reads and writes, behind one class: documents built as maps (strings,
 * booleans, longs, doubles, lists, maps and {@link EpochMicros} times) written as text, and JSON
 * text (metadata carried in an attribute) parsed back.
 *
 * <p>RATIONALE: one class knows which JSON the OTLP conversion uses (the daemon's own,
 * {@link Json} and {@link JsonOutput}).
 */
final class DocumentJson {
  private static final int MAX_DEPTH = Json.MAX_DEPTH;

  private DocumentJson() {}

  /** A time in X-Ray's epoch seconds, kept exact to the microsecond (a double of nanos is not). */
  record EpochMicros(long micros) {}

  /** {@code document} as JSON text. */
  static String write(Map<String, Object> document) {
    JsonOutput w = new JsonOutput();
    value(w, document, 0);
    return w.toText();
  }

  /** Parses JSON text (maps, lists, strings, Long or Double numbers, booleans, null). */
  static Object parse(String text) {
    return Json.parse(text);
  }

  private static void value(JsonOutput w, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      w.nullValue();
    } else if (value instanceof Map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        w.name(String.valueOf(e.getKey()));
        value(w, e.getValue(), depth + 1);
      }
      w.endObject();
    } else if (value instanceof List) {
      w.beginArray();
      for (Object item : (List<?>) value) {
        value(w, item, depth + 1);
      }
      w.endArray();
    } else if (value instanceof String) {
      w.value((String) value);
    } else if (value instanceof Boolean) {
      w.value((boolean) (Boolean) value);
    } else if (value instanceof Long || value instanceof Integer) {
      w.value(((Number) value).longValue());
    } else if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        w.value(d);
      } else {
        w.nullValue();
      }
    } else if (value instanceof EpochMicros) {
      w.epochSecondsValue(((EpochMicros) value).micros());
    } else {
      w.nullValue();
    }
  }
}
