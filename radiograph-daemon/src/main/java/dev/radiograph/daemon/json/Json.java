package dev.radiograph.daemon.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's JSON reader: segment documents from UDP and the API's request bodies, into plain
 * Java values. Built on jackson-core's streaming parser (Vert.x brings it), which is strict by
 * default: no comments, trailing commas, single quotes, leading zeros, NaN, unescaped control
 * characters or malformed UTF-8, and here nothing after the value.
 *
 * <p>Values: an object is a {@link LinkedHashMap} in document order (for a duplicate name the last
 * value wins), an array an {@link ArrayList}, a string a {@link String}, a number without fraction
 * or exponent that fits a {@code long} a {@link Long} and any other number a {@link Double} (a huge
 * exponent is an infinity, for the store to refuse), {@code true}/{@code false} a {@link Boolean},
 * {@code null} Java {@code null}. The tree is built iteratively, so no input can overflow the
 * stack; nesting is bounded by {@link #MAX_DEPTH}.
 */
public final class Json {
  /**
   * How deeply objects and arrays may nest in one document: the depth that radiograph-core's
   * {@code JsonWriter} never exceeds (it sends a deeper subtree as a document of its own). One
   * limit on both sides, so that every document the SDK emits is one the daemon accepts; a
   * subsegment nests two levels deeper than its parent (its object in the "subsegments" array).
   * {@code NestingLimitTest} holds the two to each other end to end.
   */
  public static final int MAX_DEPTH = 256;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private Json() {}

  /**
   * Parses one JSON value from UTF-8 bytes.
   *
   * @throws JsonSyntaxException saying where the input is not valid JSON
   */
  public static Object parse(byte[] utf8, int offset, int length) {
    try (JsonParser parser = FACTORY.createParser(utf8, offset, length)) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new JsonSyntaxException(e.getMessage()); // not reached: a byte array does no I/O
    }
  }

  /** As {@link #parse(byte[], int, int)}, for all of {@code utf8}. */
  public static Object parse(byte[] utf8) {
    return parse(utf8, 0, utf8.length);
  }

  /** As {@link #parse(byte[], int, int)}, from text. */
  public static Object parse(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      return read(parser);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new JsonSyntaxException(e.getMessage());
    }
  }

  private static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new JsonSyntaxException("line 1, column 1: expected a JSON value, found end of input");
    }
    Object value = readValue(parser, token);
    if (parser.nextToken() != null) {
      JsonLocation at = parser.currentTokenLocation();
      throw new JsonSyntaxException(position(at) + "expected end of input after the JSON value");
    }
    return value;
  }

  /** Builds the value starting at {@code first}, keeping open containers on a heap stack. */
  @SuppressWarnings("unchecked")
  private static Object readValue(JsonParser parser, JsonToken first) throws IOException {
    if (!first.isStructStart()) {
      return scalar(parser, first);
    }
    Object root = first == JsonToken.START_OBJECT ? new LinkedHashMap<String, Object>() : new ArrayList<>();
    ArrayDeque<Object> open = new ArrayDeque<>();
    open.push(root);
    String name = null;
    while (!open.isEmpty()) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new JsonSyntaxException(position(parser.currentLocation()) + "unexpected end of input");
      }
      Object container = open.peek();
      if (token == JsonToken.FIELD_NAME) {
        name = parser.currentName();
        continue;
      }
      if (token.isStructEnd()) {
        open.pop();
        continue;
      }
      Object value;
      if (token.isStructStart()) {
        value = token == JsonToken.START_OBJECT ? new LinkedHashMap<String, Object>() : new ArrayList<>();
      } else {
        value = scalar(parser, token);
      }
      if (container instanceof Map) {
        ((Map<String, Object>) container).put(name, value);
      } else {
        ((List<Object>) container).add(value);
      }
      if (token.isStructStart()) {
        open.push(value);
      }
    }
    return root;
  }

  private static Object scalar(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) parser.getValueAsDouble() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonSyntaxException(position(parser.currentTokenLocation()) + "unexpected " + token);
    }
  }

  private static JsonSyntaxException syntaxError(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return new JsonSyntaxException(position(e.getLocation()) + "nesting deeper than " + MAX_DEPTH
          + " levels of objects and arrays");
    }
    return new JsonSyntaxException(position(e.getLocation()) + e.getOriginalMessage());
  }

  private static String position(JsonLocation at) {
    return at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
  }

  /** {@code value} as an object, or an {@link IllegalArgumentException} naming {@code what}. */
  public static Map<String, Object> asObject(Object value, String what) {
    return expect(value, Map.class, what, "an object");
  }

  /** {@code value} as an array, or an {@link IllegalArgumentException} naming {@code what}. */
  public static List<Object> asArray(Object value, String what) {
    return expect(value, List.class, what, "an array");
  }

  /** {@code value} as a string, or an {@link IllegalArgumentException} naming {@code what}. */
  public static String asString(Object value, String what) {
    return expect(value, String.class, what, "a string");
  }

  /** {@code value} as a number ({@link Long} or {@link Double}), or an {@link IllegalArgumentException}. */
  public static Number asNumber(Object value, String what) {
    return expect(value, Number.class, what, "a number");
  }

  @SuppressWarnings("unchecked")
  private static <T> T expect(Object value, Class<?> type, String what, String expected) {
    if (type.isInstance(value)) {
      return (T) value;
    }
    throw new IllegalArgumentException(what + " must be " + expected + ", found " + typeName(value));
  }

  /** The JSON type of a parsed value, for messages: object, array, string, number, boolean or null. */
  public static String typeName(Object value) {
    String[] names = {"object", "array", "string", "number", "boolean"};
    Class<?>[] types = {Map.class, List.class, String.class, Number.class, Boolean.class};
    for (int i = 0; i < types.length; i++) {
      if (types[i].isInstance(value)) {
        return names[i];
      }
    }
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}
