package dev.radiograph.daemon.store;

import dev.radiograph.internal.JsonWriter;
import java.util.List;
import java.util.Map;

/** Writes values parsed by {@code JsonReader} (maps, lists, strings, numbers, booleans) back out. */
final class Json {
  private Json() {}

  static void write(JsonWriter w, Object value) {
    if (value == null) {
      w.nullValue();
    } else if (value instanceof String) {
      w.value((String) value);
    } else if (value instanceof Boolean) {
      w.value((boolean) (Boolean) value);
    } else if (value instanceof Long || value instanceof Integer) {
      w.value(((Number) value).longValue());
    } else if (value instanceof Number) {
      w.value(((Number) value).doubleValue());
    } else if (value instanceof Map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        w.name(String.valueOf(e.getKey()));
        write(w, e.getValue());
      }
      w.endObject();
    } else if (value instanceof List) {
      w.beginArray();
      for (Object item : (List<?>) value) {
        write(w, item);
      }
      w.endArray();
    } else {
      w.value(String.valueOf(value));
    }
  }

  static String toText(Object value) {
    JsonWriter w = new JsonWriter(1024);
    write(w, value);
    return new String(w.buffer(), 0, w.size(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
