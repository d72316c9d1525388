package dev.radiograph;

import dev.radiograph.internal.JsonWriter;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the values users put into metadata and the {@code aws} block as JSON without a JSON
 * library: maps become objects, collections and arrays become arrays, records become objects of
 * their components, numbers and booleans stay typed, everything else becomes its
 * {@code toString()}. Nesting deeper than {@value #MAX_DEPTH} (a cycle, usually) is cut to
 * {@code null}; a value that fails while being read (a map changed concurrently, a
 * {@code toString} that throws) is written as {@code null} instead of failing the document.
 */
final class JsonValues {
  static final int MAX_DEPTH = 16;

  private JsonValues() {}

  static void write(JsonWriter w, Object value) {
    int mark = w.size();
    boolean comma = w.commaPending();
    int depth = w.depth();
    try {
      write(w, value, 0);
    } catch (RuntimeException | StackOverflowError e) {
      // Roll back to where this value began and write null, keeping the document valid.
      while (w.depth() > depth) {
        w.endObject(); // depth bookkeeping only; the bytes are truncated below
      }
      w.truncate(mark, comma);
      w.nullValue();
    }
  }

  private static void write(JsonWriter w, Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      w.nullValue();
    } else if (value instanceof String) {
      w.value((String) value);
    } else if (value instanceof Boolean) {
      w.value((boolean) (Boolean) value);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      w.value(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      w.value(((Number) value).doubleValue());
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      w.rawValue(value.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } else if (value instanceof Number) {
      w.value(((Number) value).doubleValue());
    } else if (value instanceof CharSequence || value instanceof Character || value instanceof Enum) {
      w.value(value instanceof Enum ? ((Enum<?>) value).name() : value.toString());
    } else if (value instanceof Map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        w.name(String.valueOf(e.getKey()));
        write(w, e.getValue(), depth + 1);
      }
      w.endObject();
    } else if (value instanceof Iterable) {
      w.beginArray();
      for (Object item : (Iterable<?>) value) {
        write(w, item, depth + 1);
      }
      w.endArray();
    } else if (value.getClass().isArray()) {
      w.beginArray();
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        write(w, Array.get(value, i), depth + 1);
      }
      w.endArray();
    } else if (value instanceof Optional) {
      write(w, ((Optional<?>) value).orElse(null), depth);
    } else if (value.getClass().isRecord()) {
      writeRecord(w, value, depth);
    } else {
      w.value(String.valueOf(value));
    }
  }

  private static void writeRecord(JsonWriter w, Object record, int depth) {
    w.beginObject();
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      w.name(component.getName());
      Object componentValue;
      try {
        componentValue = component.getAccessor().invoke(record);
      } catch (ReflectiveOperationException | RuntimeException e) {
        componentValue = null; // an inaccessible record (not exported): write what we can
      }
      write(w, componentValue, depth + 1);
    }
    w.endObject();
  }
}
