package dev.radiograph.daemon.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The daemon's JSON writer: API responses and re-assembled documents, as UTF-8 bytes. Fluent, on
 * jackson-core's generator, which puts the commas and escapes strings. Numbers are written as
 * radiograph-core writes them: a whole double below 10^15 as an integer, NaN and infinities (which
 * JSON cannot express) as null.
 *
 * <pre>{@code
 * byte[] body = new JsonOutput().beginObject().name("Traces").beginArray().endArray().endObject().toByteArray();
 * }</pre>
 */
public final class JsonOutput {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final ByteArrayBuilder bytes = new ByteArrayBuilder(512);
  private final JsonGenerator generator;

  public JsonOutput() {
    try {
      generator = FACTORY.createGenerator(bytes, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not reached: the output is memory
    }
  }

  /** Writes {@code value} (maps, lists, strings, numbers, booleans, null, as {@link Json} reads them) as a whole. */
  public static byte[] toBytes(Object value) {
    return new JsonOutput().tree(value).toByteArray();
  }

  /** As {@link #toBytes}, as text. */
  public static String toText(Object value) {
    return new String(toBytes(value), StandardCharsets.UTF_8);
  }

  public JsonOutput beginObject() {
    return write(JsonGenerator::writeStartObject);
  }

  public JsonOutput endObject() {
    return write(JsonGenerator::writeEndObject);
  }

  public JsonOutput beginArray() {
    return write(JsonGenerator::writeStartArray);
  }

  public JsonOutput endArray() {
    return write(JsonGenerator::writeEndArray);
  }

  /** A member name; the next call writes its value. */
  public JsonOutput name(String name) {
    return write(g -> g.writeFieldName(name));
  }

  /** A string, or null for {@code null}. */
  public JsonOutput value(String value) {
    return write(g -> g.writeString(value));
  }

  public JsonOutput value(long value) {
    return write(g -> g.writeNumber(value));
  }

  public JsonOutput value(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return nullValue();
    }
    if (value == (long) value && Math.abs(value) < 1e15) {
      return value((long) value);
    }
    return write(g -> g.writeNumber(value));
  }

  public JsonOutput value(boolean value) {
    return write(g -> g.writeBoolean(value));
  }

  public JsonOutput nullValue() {
    return write(JsonGenerator::writeNull);
  }

  /** Writes a parsed value and everything in it. */
  public JsonOutput tree(Object value) {
    if (value == null) {
      return nullValue();
    }
    if (value instanceof String) {
      return value((String) value);
    }
    if (value instanceof Boolean) {
      return value((boolean) (Boolean) value);
    }
    if (value instanceof Long || value instanceof Integer) {
      return value(((Number) value).longValue());
    }
    if (value instanceof Number) {
      return value(((Number) value).doubleValue());
    }
    if (value instanceof Map) {
      beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        name(String.valueOf(e.getKey())).tree(e.getValue());
      }
      return endObject();
    }
    if (value instanceof List) {
      beginArray();
      for (Object item : (List<?>) value) {
        tree(item);
      }
      return endArray();
    }
    return value(String.valueOf(value));
  }

  /** What was written, as UTF-8. */
  public byte[] toByteArray() {
    try {
      generator.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** What was written, as text. */
  public String toText() {
    return new String(toByteArray(), StandardCharsets.UTF_8);
  }

  private JsonOutput write(Step step) {
    try {
      step.apply(generator);
    } catch (IOException e) {
      // The generator refuses what would not be JSON (a value where a name belongs): our bug.
      throw new IllegalStateException("JSON writer: " + e.getMessage(), e);
    }
    return this;
  }

  private interface Step {
    void apply(JsonGenerator generator) throws IOException;
  }
}
