package dev.radiograph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser's values, its rejections with their positions, its limits, and fuzzing against
 * Jackson (strict, trailing tokens rejected) as the reference for what is valid JSON. Fuzz tests
 * use fixed seeds and put the case number and input in each failure message.
 */
class JsonReaderTest {
  private static final ObjectMapper JACKSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final ObjectWriter PRETTY = JACKSON.writerWithDefaultPrettyPrinter();
  private static final ObjectMapper JACKSON_ESCAPING =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  // --- values -----------------------------------------------------------------------------------

  @Test
  void literals() {
    assertThat(parse("true")).isEqualTo(Boolean.TRUE);
    assertThat(parse("false")).isEqualTo(Boolean.FALSE);
    assertThat(parse("null")).isNull();
    assertThat(parse(" \t\r\n null \n")).isNull();
  }

  @Test
  void integersThatFitAreLongs() {
    assertThat(parse("0")).isEqualTo(0L);
    assertThat(parse("-0")).isEqualTo(0L);
    assertThat(parse("7")).isEqualTo(7L);
    assertThat(parse("-42")).isEqualTo(-42L);
    assertThat(parse("1700000000")).isEqualTo(1_700_000_000L);
    assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void otherNumbersAreDoubles() {
    assertThat(parse("1.5")).isEqualTo(1.5);
    assertThat(parse("1.0")).isEqualTo(1.0); // a fraction makes a double, even when whole
    assertThat(parse("1e2")).isEqualTo(100.0);
    assertThat(parse("1E+2")).isEqualTo(100.0);
    assertThat(parse("25e-2")).isEqualTo(0.25);
    assertThat(parse("-0.0")).isEqualTo(-0.0);
    assertThat(parse("0e0")).isEqualTo(0.0);
    assertThat(parse("1700000000.123456")).isEqualTo(1700000000.123456);
    assertThat(parse("0.1")).isEqualTo(0.1);
    assertThat(parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
    assertThat(parse("1e999")).isEqualTo(Double.POSITIVE_INFINITY); // as Double.parseDouble
    assertThat(parse("-1e999")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parse("1e-999")).isEqualTo(0.0);
    assertThat(parse("1e99999999999999999999")).isEqualTo(Double.POSITIVE_INFINITY);
    // Integers beyond a long: a double, not a BigInteger.
    assertThat(parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
    assertThat(parse("-9223372036854775809")).isEqualTo(-9.223372036854775809e18);
    assertThat(parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
  }

  @Test
  void numbersMatchLongParseLongAndDoubleParseDouble() {
    Random random = new Random(0x4E_0B_E4L);
    for (int round = 0; round < 30_000; round++) {
      StringBuilder s = new StringBuilder();
      if (random.nextBoolean()) {
        s.append('-');
      }
      int intDigits = 1 + random.nextInt(random.nextInt(4) == 0 ? 25 : 8);
      s.append(intDigits == 1 ? (char) ('0' + random.nextInt(10)) : (char) ('1' + random.nextInt(9)));
      appendDigits(s, intDigits - 1, random);
      boolean integral = true;
      if (random.nextBoolean()) {
        integral = false;
        s.append('.');
        appendDigits(s, 1 + random.nextInt(random.nextInt(4) == 0 ? 25 : 8), random);
      }
      if (random.nextInt(3) == 0) {
        integral = false;
        s.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" : "-");
        appendDigits(s, 1 + random.nextInt(3), random);
      }
      String text = s.toString();
      Object expected;
      if (integral && new BigInteger(text).bitLength() < 64) {
        expected = Long.parseLong(text);
      } else {
        expected = Double.parseDouble(text);
      }
      assertThat(parse(text)).as("case %d: %s", round, text).isEqualTo(expected);
    }
  }

  private static void appendDigits(StringBuilder s, int count, Random random) {
    for (int i = 0; i < count; i++) {
      s.append((char) ('0' + (random.nextInt(4) == 0 ? 0 : random.nextInt(10))));
    }
  }

  @Test
  void strings() {
    assertThat(parse("\"\"")).isEqualTo("");
    assertThat(parse("\"segment\"")).isEqualTo("segment");
    assertThat(parse("\"a b\\tc\"")).isEqualTo("a b\tc");
    assertThat(parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"")).isEqualTo("\" \\ / \b \f \n \r \t");
    assertThat(parse("\"\\u0041\\u00e9\\u00E9\\u20AC\\u0000\\u001f\"")).isEqualTo("A\u00e9\u00e9\u20ac\u0000\u001f");
    assertThat(parse("\"\u007f\"")).isEqualTo("\u007f"); // DEL need not be escaped
    String longAscii = "x".repeat(100_000);
    assertThat(parse("\"" + longAscii + "\"")).isEqualTo(longAscii);
    String longEscaped = "\\n".repeat(50_000);
    assertThat(parse("\"" + longEscaped + "\"")).isEqualTo("\n".repeat(50_000));
  }

  @Test
  void surrogateEscapes() {
    assertThat(parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00").isEqualTo("😀");
    assertThat(parse("\"\\uD83D\\uDE00!\"")).isEqualTo("😀!");
    // Lone or reversed surrogates are kept as written: a Java string can hold them.
    assertThat(parse("\"\\ud800\"")).isEqualTo("\uD800");
    assertThat(parse("\"a\\udc00b\"")).isEqualTo("a\uDC00b");
    assertThat(parse("\"\\ude00\\ud83d\"")).isEqualTo("\uDE00\uD83D");
    assertThat(parse("\"\\ud83dx\"")).isEqualTo("\uD83Dx");
    // In the String form a raw lone surrogate inside a string is kept too.
    assertThat(JsonReader.parse("\"a\uD800b\"")).isEqualTo("a\uD800b");
    assertThat(JsonReader.parse("[\"\uDC00\", \"\uD83D\uDE00\"]")).isEqualTo(List.of("\uDC00", "😀"));
  }

  @Test
  void utf8MultiByteCharacters() {
    String text = "é ß € 中文 😀 𝄞 \uFFFF";
    byte[] utf8 = ("{\"k€y😀\": \"" + text + "\", \"b\": [\"\\u00e9é\"]}").getBytes(StandardCharsets.UTF_8);
    Object value = JsonReader.parse(utf8, 0, utf8.length);
    assertThat(value).isEqualTo(Map.of("k€y😀", text, "b", List.of("éé")));
    assertThat(parse("\"😀\"")).isEqualTo("😀"); // 4 bytes
    assertThat(parse("\"€\"")).isEqualTo("€"); // 3 bytes
    assertThat(parse("\"é\"")).isEqualTo("é"); // 2 bytes
    assertThat(parse("\"ascii then é\"")).isEqualTo("ascii then é");
  }

  @Test
  void objectsKeepDocumentOrderAndTheLastDuplicateWins() {
    Object value = parse("{\"z\": 1, \"a\": 2, \"m\": 3, \"a\": 4}");
    assertThat(value).isExactlyInstanceOf(LinkedHashMap.class);
    Map<String, Object> object = JsonReader.asObject(value, "it");
    assertThat(object.keySet()).containsExactly("z", "a", "m");
    assertThat(object.get("a")).isEqualTo(4L);
    assertThat(parse("{}")).isEqualTo(Map.of());
    assertThat(JsonReader.asObject(parse("{\"\":null}"), "it")).containsOnlyKeys("").containsEntry("", null);
  }

  @Test
  void arraysAndNesting() {
    assertThat(parse("[]")).isExactlyInstanceOf(ArrayList.class).isEqualTo(List.of());
    assertThat(parse("[1, \"two\", 3.0, true, null, [], {}]"))
        .isEqualTo(Arrays.asList(1L, "two", 3.0, true, null, List.of(), Map.of()));
    Object segment = parse("{\"name\":\"api\",\"id\":\"70de5b6f19ff9a0a\",\"start_time\":1.478293361271E9,"
        + "\"trace_id\":\"1-581cf771-a006649127e371903a2de979\",\"end_time\":1.478293361449E9,"
        + "\"http\":{\"request\":{\"method\":\"GET\",\"url\":\"https://x/\"},\"response\":{\"status\":200}},"
        + "\"subsegments\":[{\"name\":\"db\",\"annotations\":{\"k\":[1,[2,[3]]]}}]}");
    Map<String, Object> root = JsonReader.asObject(segment, "segment");
    assertThat(root.keySet()).containsExactly("name", "id", "start_time", "trace_id", "end_time", "http", "subsegments");
    assertThat(root.get("start_time")).isEqualTo(1.478293361271E9);
    Map<String, Object> http = JsonReader.asObject(root.get("http"), "http");
    assertThat(JsonReader.asObject(http.get("response"), "response")).isEqualTo(Map.of("status", 200L));
    List<Object> subsegments = JsonReader.asArray(root.get("subsegments"), "subsegments");
    assertThat(subsegments).hasSize(1);
    assertThat(JsonReader.asObject(subsegments.get(0), "sub").get("annotations"))
        .isEqualTo(Map.of("k", List.of(1L, List.of(2L, List.of(3L)))));
  }

  @Test
  void whitespaceIsOnlySpaceTabCrAndLf() {
    assertThat(parse(" \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ \"a\" \n : \r\n 2 } ] \n")).isEqualTo(List.of(1L, Map.of("a", 2L)));
    assertThat(error("\f1").problem()).isEqualTo("expected a value, found U+000C");
    assertThat(error("\u000b1").problem()).isEqualTo("expected a value, found U+000B");
    assertThat(error("\u00a01").problem()).isEqualTo("expected a value, found U+00A0");
    assertThat(error("[1,\u20282]").problem()).isEqualTo("expected a value after ',', found U+2028");
    assertThat(error("1\u0000").problem()).isEqualTo("expected end of input after the JSON value, found U+0000");
  }

  @Test
  void aLeadingByteOrderMarkIsSkipped() {
    assertThat(JsonReader.parse("\uFEFF[1]")).isEqualTo(List.of(1L));
    byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '2'};
    assertThat(JsonReader.parse(bytes)).isEqualTo(2L);
    JsonParseException e = error("\uFEFF[1 x]");
    assertThat(e.column()).isEqualTo(4); // the mark is not a column
    assertThat(e.offset()).isEqualTo(4); // but it is in the offset
    assertThat(error("\uFEFF").problem()).isEqualTo("expected a value, found end of input");
    assertThat(error("1\uFEFF").problem()).isEqualTo("expected end of input after the JSON value, found U+FEFF");
  }

  @Test
  void parsesOnlyTheGivenRangeOfAnArray() {
    byte[] bytes = "xx[1,2]yy".getBytes(StandardCharsets.US_ASCII);
    assertThat(JsonReader.parse(bytes, 2, 5)).isEqualTo(List.of(1L, 2L));
    JsonParseException e = catchParse(() -> JsonReader.parse(bytes, 2, 4));
    assertThat(e.getMessage()).isEqualTo("line 1, column 5: expected ',' or ']' after an array element, found end of input");
    assertThat(e.offset()).isEqualTo(4); // from the start of the range
    assertThatThrownBy(() -> JsonReader.parse(bytes, 5, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> JsonReader.parse(bytes, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  // --- rejections -------------------------------------------------------------------------------

  static Stream<Arguments> rejected() {
    return Stream.of(
        // input, problem, line, column
        Arguments.of("", "expected a value, found end of input", 1, 1),
        Arguments.of("  \n ", "expected a value, found end of input", 2, 2),
        Arguments.of("[1,]", "expected a value after ',', found ']' (trailing commas are not allowed)", 1, 4),
        Arguments.of("[1,2,\n]", "expected a value after ',', found ']' (trailing commas are not allowed)", 2, 1),
        Arguments.of("{\"a\":1,}",
            "expected a member name in double quotes after ',', found '}' (trailing commas are not allowed)", 1, 8),
        Arguments.of("[,1]", "expected a value or ']', found ','", 1, 2),
        Arguments.of("// note\n1", "expected a value, found '/' (comments are not allowed)", 1, 1),
        Arguments.of("[1 /* note */]", "expected ',' or ']' after an array element, found '/'", 1, 4),
        Arguments.of("# note\n1", "expected a value, found '#' (comments are not allowed)", 1, 1),
        Arguments.of("'a'", "expected a value, found \"'\" (strings must be in double quotes)", 1, 1),
        Arguments.of("{'a':1}", "expected a member name in double quotes or '}', found \"'\" (names must be in double quotes)", 1, 2),
        Arguments.of("{a:1}", "expected a member name in double quotes or '}', found 'a' (names must be in double quotes)", 1, 2),
        Arguments.of("{\"a\":1, rate:1}",
            "expected a member name in double quotes after ',', found 'rate' (names must be in double quotes)", 1, 9),
        Arguments.of("01", "a number must not have leading zeros", 1, 1),
        Arguments.of("[-007]", "a number must not have leading zeros", 1, 3),
        Arguments.of("00", "a number must not have leading zeros", 1, 1),
        Arguments.of("+1", "expected a value, found '+' (a number must not start with '+')", 1, 1),
        Arguments.of(".5", "expected a value, found '.' (a number must start with a digit)", 1, 1),
        Arguments.of("1.", "expected a digit after the decimal point, found end of input", 1, 3),
        Arguments.of("1.e5", "expected a digit after the decimal point, found 'e'", 1, 3),
        Arguments.of("1e", "expected a digit in the exponent, found end of input", 1, 3),
        Arguments.of("1e+", "expected a digit in the exponent, found end of input", 1, 4),
        Arguments.of("[1E-x]", "expected a digit in the exponent, found 'x'", 1, 5),
        Arguments.of("-", "expected a digit after '-', found end of input", 1, 2),
        Arguments.of("--1", "expected a digit after '-', found '-'", 1, 2),
        Arguments.of("-.5", "expected a digit after '-', found '.'", 1, 2),
        Arguments.of("1.5.2", "expected end of input after the JSON value, found '.'", 1, 4),
        Arguments.of("0x1F", "expected end of input after the JSON value, found 'x'", 1, 2),
        Arguments.of("NaN", "expected a value, found 'NaN' (not a JSON number)", 1, 1),
        Arguments.of("Infinity", "expected a value, found 'Infinity' (not a JSON number)", 1, 1),
        Arguments.of("-Infinity", "expected a digit after '-', found 'Infinity'", 1, 2),
        Arguments.of("[1, undefined]", "expected a value after ',', found 'undefined'", 1, 5),
        Arguments.of("True", "expected a value, found 'True'", 1, 1),
        Arguments.of("tru", "expected 'true', found 'tru'", 1, 1),
        Arguments.of("nul", "expected 'null', found 'nul'", 1, 1),
        Arguments.of("[fals]", "expected 'false', found 'fals'", 1, 2),
        Arguments.of("nil", "expected 'null', found 'nil'", 1, 1),
        Arguments.of("truex", "expected end of input after the JSON value, found 'x'", 1, 5),
        Arguments.of("\"a\u0001b\"", "unescaped control character U+0001 in a string", 1, 3),
        Arguments.of("\"tab\there\"", "unescaped control character U+0009 in a string", 1, 5),
        Arguments.of("{\"a\": \"open\n}", "unescaped control character U+000A in a string (is a closing '\"' missing?)", 1, 12),
        Arguments.of("\"\\x\"",
            "invalid escape sequence: '\\' followed by 'x' (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", 1, 2),
        Arguments.of("\"\\'\"",
            "invalid escape sequence: '\\' followed by \"'\" (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", 1, 2),
        Arguments.of("\"ab\\U0041\"",
            "invalid escape sequence: '\\' followed by 'U' (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", 1, 4),
        Arguments.of("\"\\u12G4\"", "invalid escape sequence: '\\u' must be followed by four hex digits, found 'G'", 1, 2),
        Arguments.of("\"\\u12\"", "invalid escape sequence: '\\u' must be followed by four hex digits, found '\"'", 1, 2),
        Arguments.of("\"\\u12", "invalid escape sequence: '\\u' must be followed by four hex digits, found end of input", 1, 2),
        Arguments.of("\"\\", "unterminated string, found end of input", 1, 3),
        Arguments.of("\"abc", "unterminated string, found end of input", 1, 5),
        Arguments.of("\"é", "unterminated string, found end of input", 1, 3),
        Arguments.of("1 2", "expected end of input after the JSON value, found '2'", 1, 3),
        Arguments.of("{} x", "expected end of input after the JSON value, found 'x'", 1, 4),
        Arguments.of("[1]]", "expected end of input after the JSON value, found ']'", 1, 4),
        Arguments.of("[1;2]", "expected ',' or ']' after an array element, found ';'", 1, 3),
        Arguments.of("[1 2]", "expected ',' or ']' after an array element, found '2'", 1, 4),
        Arguments.of("{\"a\" 1}", "expected ':' after a member name, found '1'", 1, 6),
        Arguments.of("{\"a\"=1}", "expected ':' after a member name, found '='", 1, 5),
        Arguments.of("{\"a\":1 \"b\":2}", "expected ',' or '}' after an object member, found '\"'", 1, 8),
        Arguments.of("{\"a\":}", "expected a value, found '}'", 1, 6),
        Arguments.of("{\"a\":1]", "expected ',' or '}' after an object member, found ']'", 1, 7),
        Arguments.of("[1}", "expected ',' or ']' after an array element, found '}'", 1, 3),
        Arguments.of("[", "expected a value or ']', found end of input", 1, 2),
        Arguments.of("{", "expected a member name in double quotes or '}', found end of input", 1, 2),
        Arguments.of("[1,", "expected a value after ',', found end of input", 1, 4),
        Arguments.of("{\"a\"", "expected ':' after a member name, found end of input", 1, 5),
        Arguments.of("{\"a\":", "expected a value, found end of input", 1, 6),
        Arguments.of("[é]", "expected a value or ']', found 'é' (U+00E9)", 1, 2),
        Arguments.of("[😀]", "expected a value or ']', found '😀' (U+1F600)", 1, 2),
        Arguments.of("\uD800", "expected a value, found U+D800", 1, 1));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void rejectsWithProblemAndPosition(String json, String problem, int line, int column) {
    JsonParseException e = error(json);
    assertThat(e.problem()).isEqualTo(problem);
    assertThat(e.getMessage()).isEqualTo("line " + line + ", column " + column + ": " + problem);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void positionsInAMultiLineDocument() {
    String rules = "{\n  \"version\": 2,\n  \"default\": {} x\n}\n";
    JsonParseException e = error(rules);
    assertThat(e.getMessage()).isEqualTo("line 3, column 17: expected ',' or '}' after an object member, found 'x'");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(17);
    assertThat(e.offset()).isEqualTo(rules.indexOf('x'));

    JsonParseException crlf = error("[\r\n1,\r\n2 x]");
    assertThat(crlf.line()).isEqualTo(3);
    assertThat(crlf.column()).isEqualTo(3);
    JsonParseException cr = error("[\r1 x]");
    assertThat(cr.line()).isEqualTo(2);
    assertThat(cr.column()).isEqualTo(3);
  }

  @Test
  void columnsCountCharactersAndOffsetsCountCharsOrBytes() {
    String json = "[\"é😀\" x]";
    JsonParseException fromString = catchParse(() -> JsonReader.parse(json));
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    JsonParseException fromBytes = catchParse(() -> JsonReader.parse(utf8));
    assertThat(fromString.column()).isEqualTo(7).isEqualTo(fromBytes.column());
    assertThat(fromString.offset()).isEqualTo(7); // chars: the emoji is a surrogate pair
    assertThat(fromBytes.offset()).isEqualTo(10); // bytes: é is 2, the emoji 4
    assertThat(fromString.getMessage()).isEqualTo(fromBytes.getMessage())
        .isEqualTo("line 1, column 7: expected ',' or ']' after an array element, found 'x'");
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of(bytes('"', 0xC0, 0x80, '"'), "invalid UTF-8: overlong encoding (byte 0xC0)", 2),
        Arguments.of(bytes('"', 0xC1, 0xBF, '"'), "invalid UTF-8: overlong encoding (byte 0xC1)", 2),
        Arguments.of(bytes('"', 0xE0, 0x80, 0xAF, '"'), "invalid UTF-8: overlong encoding", 2),
        Arguments.of(bytes('"', 0xF0, 0x8F, 0xBF, 0xBF, '"'), "invalid UTF-8: overlong encoding", 2),
        Arguments.of(bytes('"', 'a', 0xED, 0xA0, 0x80, '"'), "invalid UTF-8: surrogate U+D800 encoded in UTF-8", 3),
        Arguments.of(bytes('"', 0xED, 0xBF, 0xBF, '"'), "invalid UTF-8: surrogate U+DFFF encoded in UTF-8", 2),
        Arguments.of(bytes('"', 0xF4, 0x90, 0x80, 0x80, '"'), "invalid UTF-8: code point above U+10FFFF", 2),
        Arguments.of(bytes('"', 0xC3), "invalid UTF-8: truncated sequence at end of input", 2),
        Arguments.of(bytes('"', 0xF0, 0x9F, 0x98), "invalid UTF-8: truncated sequence at end of input", 2),
        Arguments.of(bytes('"', 0xC3, 'A', '"'),
            "invalid UTF-8: truncated sequence (byte 0x41 is not a continuation byte)", 2),
        Arguments.of(bytes('"', 0xE2, 0x82, '"'),
            "invalid UTF-8: truncated sequence (byte 0x22 is not a continuation byte)", 2),
        Arguments.of(bytes('"', 0x80, '"'), "invalid UTF-8: unexpected continuation byte 0x80", 2),
        Arguments.of(bytes('"', 0xF5, 0x80, 0x80, 0x80, '"'), "invalid UTF-8: byte 0xF5 never appears in UTF-8", 2),
        Arguments.of(bytes('"', 0xF8, '"'), "invalid UTF-8: byte 0xF8 never appears in UTF-8", 2),
        Arguments.of(bytes('"', 0xFE, '"'), "invalid UTF-8: byte 0xFE never appears in UTF-8", 2),
        Arguments.of(bytes('"', 0xFF, '"'), "invalid UTF-8: byte 0xFF never appears in UTF-8", 2),
        Arguments.of(bytes('"', 0xC3, 0xA9, 0xFF, '"'), "invalid UTF-8: byte 0xFF never appears in UTF-8", 3),
        Arguments.of(bytes(0xFF), "expected a value, found byte 0xFF (invalid UTF-8: byte 0xFF never appears in UTF-8)", 1),
        Arguments.of(bytes('[', 0xC3),
            "expected a value or ']', found byte 0xC3 (invalid UTF-8: truncated sequence at end of input)", 2));
  }

  @ParameterizedTest
  @MethodSource("invalidUtf8")
  void rejectsMalformedUtf8(byte[] input, String problem, int column) {
    JsonParseException e = catchParse(() -> JsonReader.parse(input));
    assertThat(e.problem()).isEqualTo(problem);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(column);
  }

  // --- limits -----------------------------------------------------------------------------------

  @Test
  void nestingIsLimitedTo128ByDefault() {
    assertThat(parse("[".repeat(128) + "]".repeat(128))).isInstanceOf(List.class);
    assertThat(parse("{\"a\":".repeat(128) + "1" + "}".repeat(128))).isInstanceOf(Map.class);
    JsonParseException arrays = error("[".repeat(129) + "]".repeat(129));
    assertThat(arrays.getMessage()).isEqualTo("line 1, column 129: nesting deeper than 128");
    JsonParseException objects = error("{\"a\":".repeat(129) + "1" + "}".repeat(129));
    assertThat(objects.problem()).isEqualTo("nesting deeper than 128");
    assertThat(error("[{\"a\":".repeat(65) + "}]".repeat(65)).problem()).isEqualTo("nesting deeper than 128");
  }

  @Test
  void theDepthLimitCanBeChanged() {
    assertThat(JsonReader.parse("[[1]]", 2)).isEqualTo(List.of(List.of(1L)));
    assertThat(catchParse(() -> JsonReader.parse("[[[1]]]", 2)).getMessage())
        .isEqualTo("line 1, column 3: nesting deeper than 2");
    assertThat(JsonReader.parse("\"only scalars\"", 0)).isEqualTo("only scalars");
    assertThat(catchParse(() -> JsonReader.parse("[]", 0)).problem()).isEqualTo("nesting deeper than 0");
    byte[] deep = "[[[[1]]]]".getBytes(StandardCharsets.US_ASCII);
    assertThat(catchParse(() -> JsonReader.parse(deep, 0, deep.length, 3)).problem()).isEqualTo("nesting deeper than 3");
    assertThatThrownBy(() -> JsonReader.parse("1", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDepth must be 0 or more, not -1");
  }

  @Test
  void hostileNestingNeverOverflowsTheStack() {
    String million = "[".repeat(1_000_000);
    assertThat(error(million).problem()).isEqualTo("nesting deeper than 128");
    // Even without a practical limit the parser is iterative: no StackOverflowError.
    assertThat(catchParse(() -> JsonReader.parse(million, Integer.MAX_VALUE)).problem())
        .isEqualTo("expected a value or ']', found end of input");
    Object deep = JsonReader.parse("[".repeat(200_000) + "]".repeat(200_000), Integer.MAX_VALUE);
    int depth = 0;
    for (Object o = deep; o instanceof List && !((List<?>) o).isEmpty(); o = ((List<?>) o).get(0)) {
      depth++;
    }
    assertThat(depth).isEqualTo(199_999);
    String objects = "{\"a\":".repeat(300_000);
    assertThat(catchParse(() -> JsonReader.parse(objects, Integer.MAX_VALUE)).problem())
        .isEqualTo("expected a value, found end of input");
  }

  // --- helpers ----------------------------------------------------------------------------------

  @Test
  void typedHelpers() {
    Map<String, Object> rule = JsonReader.asObject(parse("{\"host\":\"*\",\"rate\":0.05,\"on\":true,\"l\":[1]}"), "rule");
    assertThat(JsonReader.asString(rule.get("host"), "host")).isEqualTo("*");
    assertThat(JsonReader.asNumber(rule.get("rate"), "rate")).isEqualTo(0.05);
    assertThat(JsonReader.asBoolean(rule.get("on"), "on")).isTrue();
    assertThat(JsonReader.asArray(rule.get("l"), "l")).containsExactly(1L);

    assertThatThrownBy(() -> JsonReader.asObject(List.of(), "rules[0]"))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("rules[0] must be an object, found array");
    assertThatThrownBy(() -> JsonReader.asArray("x", "rules")).hasMessage("rules must be an array, found string");
    assertThatThrownBy(() -> JsonReader.asString(1L, "host")).hasMessage("host must be a string, found number");
    assertThatThrownBy(() -> JsonReader.asNumber(true, "rate")).hasMessage("rate must be a number, found boolean");
    assertThatThrownBy(() -> JsonReader.asBoolean(null, "on")).hasMessage("on must be a boolean, found null");
    assertThatThrownBy(() -> JsonReader.asString(Map.of(), "x")).hasMessage("x must be a string, found object");
    assertThat(JsonReader.typeName(2.5)).isEqualTo("number");
  }

  // --- fuzzing against Jackson ------------------------------------------------------------------

  @Test
  void generatedDocumentsParseToWhatJacksonReads() throws Exception {
    Random random = new Random(0xD0C5_5EEDL);
    for (int round = 0; round < 12_000; round++) {
      Object document = randomDocument(random);
      byte[] bytes;
      switch (round % 3) {
        case 0:
          bytes = JACKSON.writeValueAsBytes(document);
          break;
        case 1:
          bytes = PRETTY.writeValueAsBytes(document);
          break;
        default:
          bytes = JACKSON_ESCAPING.writeValueAsBytes(document); // \\uXXXX for all non-ASCII
      }
      String label = "generated case " + round;
      Object ours = parseOrFail(bytes, label);
      JsonNode expected = JACKSON.readTree(bytes);
      assertSameTree(toNode(ours), expected, () -> label, bytes);
      assertThat(JsonReader.parse(new String(bytes, StandardCharsets.UTF_8))).as(label).isEqualTo(ours);
    }
  }

  @Test
  void mutatedDocumentsAreJudgedAsJacksonJudgesThem() throws Exception {
    Random random = new Random(0x4D07_A7EDL);
    int valid = 0;
    divergences = 0;
    for (int round = 0; round < 18_000; round++) {
      byte[] seed = (round % 2 == 0 ? JACKSON.writer() : PRETTY).writeValueAsBytes(randomDocument(random));
      if (check(mutate(seed, random), "mutated case " + round)) {
        valid++;
      }
    }
    assertThat(valid).as("some mutations stay valid").isBetween(1_000, 15_000);
    assertThat(divergences).as("inputs Jackson rejects for lone surrogate escapes").isLessThan(500);
  }

  @Test
  void randomBytesAreJudgedAsJacksonJudgesThem() {
    Random random = new Random(0xB17E5L);
    int valid = 0;
    for (int round = 0; round < 15_000; round++) {
      int length = random.nextInt(round % 10 == 0 ? 64 : 12);
      byte[] input = new byte[length];
      boolean uniform = round % 3 == 0;
      for (int i = 0; i < length; i++) {
        input[i] = uniform ? (byte) random.nextInt(256) : JSONISH[random.nextInt(JSONISH.length)];
      }
      if (check(input, "random case " + round)) {
        valid++;
      }
    }
    assertThat(valid).as("some random inputs are valid").isGreaterThan(100);
  }

  @Test
  void randomJavaStringsAreJudgedAsJacksonJudgesThem() {
    Random random = new Random(0x57_12_1264L);
    String alphabet = "{}[],:\"\\ \n\t01-.eEtruefalsn/u\uD800\uDC00\u00e9\u2028\uFEFF\u0001";
    int valid = 0;
    for (int round = 0; round < 8_000; round++) {
      int length = random.nextInt(14);
      StringBuilder s = new StringBuilder();
      if (random.nextBoolean()) {
        s.append('"'); // more strings, where lone surrogates are allowed
      }
      for (int i = 0; i < length; i++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = s.toString();
      int caseNumber = round;
      Supplier<String> label = () -> "string case " + caseNumber + ": " + escape(input);
      JsonNode expected = jackson(input);
      if (expected == DIVERGES) {
        continue;
      }
      Object ours;
      try {
        ours = JsonReader.parse(input);
      } catch (JsonParseException e) {
        require(expected == null, () -> label.get() + " rejected (" + e.getMessage() + ") but Jackson accepts");
        assertPositionConsistent(input, e, label);
        continue;
      } catch (RuntimeException | Error e) {
        throw new AssertionError(label.get() + " threw " + e, e);
      }
      require(expected != null, () -> label.get() + " accepted but Jackson rejects");
      assertSameTree(toNode(ours), expected, label, input.getBytes(StandardCharsets.UTF_8));
      valid++;
    }
    assertThat(valid).isGreaterThan(50);
  }

  // Bytes that make random input look like JSON more often than uniform bytes do.
  private static final byte[] JSONISH = concat(
      "{}[],:\"\"\\ \t\r\n0123456789-+.eEtruefalsnu\\/bx'".getBytes(StandardCharsets.US_ASCII),
      bytes(0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xF0, 0x9F, 0x98, 0x80, 0xC0, 0xFF, 0xEF, 0xBB, 0xBF));

  private static final byte[][] TOKENS = {
    bytes(','), bytes(':'), bytes('['), bytes(']'), bytes('{'), bytes('}'), bytes('"'), bytes('\\'),
    ascii("\\u"), ascii("\\ud800"), ascii("\\udc00"), ascii("\\u00e9"), ascii("\\n"), ascii("\\x"),
    bytes('0'), bytes('-'), bytes('+'), bytes('.'), bytes('e'), ascii("01"), ascii("1."), ascii(".5"),
    ascii("1e400"), ascii("-0"), ascii("9223372036854775808"), ascii("NaN"), ascii("Infinity"),
    ascii("true"), ascii("nul"), ascii("null"), ascii("//"), ascii("/*x*/"), bytes('\''), bytes(' '),
    bytes('\t'), bytes('\n'), bytes('\r'), ascii("\r\n"), bytes('\f'), bytes(0), bytes(0x01), bytes(0x7F),
    bytes(0xC2, 0xA0), bytes(0xC0, 0x80), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF8),
    bytes(0xFF), bytes(0xC3), bytes(0xE2, 0x82), bytes(0xC3, 0xA9), bytes(0xF0, 0x9F, 0x98, 0x80),
    bytes(0xEF, 0xBB, 0xBF), bytes(0x80), ascii("[]"), ascii("{}"), ascii("\"\":"), ascii(",\"k\":1"),
  };

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed;
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      int at = random.nextInt(b.length + 1);
      switch (random.nextInt(7)) {
        case 0: // replace a byte
          if (at < b.length) {
            b = b.clone();
            b[at] = random.nextBoolean() ? (byte) random.nextInt(256) : JSONISH[random.nextInt(JSONISH.length)];
          }
          break;
        case 1: // delete a byte
          if (at < b.length) {
            b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
          }
          break;
        case 2: // delete a span
          int to = Math.min(b.length, at + 1 + random.nextInt(8));
          b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, to, b.length));
          break;
        case 3: // truncate
          b = Arrays.copyOf(b, at);
          break;
        case 4: // duplicate a span
          int end = Math.min(b.length, at + random.nextInt(12));
          b = concat(Arrays.copyOf(b, end), Arrays.copyOfRange(b, at, b.length));
          break;
        default: // insert a token
          b = concat(Arrays.copyOf(b, at), TOKENS[random.nextInt(TOKENS.length)], Arrays.copyOfRange(b, at, b.length));
      }
    }
    return b;
  }

  /**
   * Checks one input: the parser returns or throws {@link JsonParseException}, nothing else; it
   * accepts exactly what Jackson accepts (when the bytes are well-formed UTF-8, which Jackson does
   * not fully check), with the same value; the String form agrees with the byte form; and error
   * positions agree with their offsets. Returns whether the input was valid.
   */
  // Inputs for which Jackson's verdict is not the reference, counted so that they stay rare.
  private static int divergences;

  private static boolean check(byte[] input, String caseName) {
    // Built only for a failure: hex-dumping every input would dominate the run time.
    Supplier<String> label = () -> caseName + ": " + hex(input);
    Object ours = null;
    JsonParseException error = null;
    try {
      ours = JsonReader.parse(input, 0, input.length);
    } catch (JsonParseException e) {
      error = e;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(label.get() + " threw " + e, e);
    }
    String text = strictUtf8(input);
    if (error != null) {
      JsonParseException e = error;
      require(e.line() >= 1 && e.column() >= 1 && e.offset() >= 0 && e.offset() <= input.length,
          () -> label.get() + " has an impossible position: " + e.getMessage() + ", offset " + e.offset());
      if (e.problem().startsWith("nesting deeper than")) {
        return false; // stricter than Jackson on purpose
      }
    }
    JsonNode expected = text == null ? null : jackson(text);
    if (expected == DIVERGES) {
      divergences++;
      return error == null;
    } else if (expected == null) {
      require(error != null, () -> label.get() + " accepted, but it is not valid JSON in UTF-8: " + jacksonError(text));
    } else {
      JsonParseException e = error;
      require(e == null, () -> label.get() + " is valid JSON but was rejected: " + e.getMessage());
      assertSameTree(toNode(ours), expected, label, input);
    }
    if (text != null) {
      // The String form must reach the same verdict, with the same message and position.
      JsonParseException fromBytes = error;
      try {
        Object fromString = JsonReader.parse(text);
        require(fromBytes == null, () -> label.get() + " String form accepted, bytes rejected: " + fromBytes.getMessage());
        require(Objects.equals(fromString, ours), () -> label.get() + " String and byte forms differ");
      } catch (JsonParseException e) {
        require(fromBytes != null, () -> label.get() + " String form rejected: " + e.getMessage());
        require(e.getMessage().equals(fromBytes.getMessage()),
            () -> label.get() + " String form: " + e.getMessage() + ", bytes: " + fromBytes.getMessage());
        assertPositionConsistent(text, e, label);
      } catch (RuntimeException | Error e) {
        throw new AssertionError(label.get() + " String form threw " + e, e);
      }
    }
    return error == null;
  }

  private static void require(boolean condition, Supplier<String> message) {
    if (!condition) {
      throw new AssertionError(message.get());
    }
  }


  /** Line and column recounted, the obvious way, from the String-form offset. */
  private static void assertPositionConsistent(String text, JsonParseException e, Supplier<String> label) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < e.offset(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (!(i == 0 && c == '\uFEFF')
          && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
        column++;
      }
    }
    int expectedLine = line;
    int expectedColumn = column;
    require(e.line() == line && e.column() == column, () -> label.get() + ": " + e.getMessage()
        + " at offset " + e.offset() + ", but that is line " + expectedLine + ", column " + expectedColumn);
  }


  private static Object parseOrFail(byte[] input, String label) {
    try {
      return JsonReader.parse(input, 0, input.length);
    } catch (RuntimeException | Error e) {
      throw new AssertionError(label + ": " + new String(input, StandardCharsets.UTF_8) + " threw " + e, e);
    }
  }

  /**
   * Jackson's tree for {@code text}; null when Jackson finds it invalid (or empty); {@link
   * #DIVERGES} when Jackson rejects a {@code \}{@code uXXXX} escape of a lone surrogate, which
   * this parser keeps by design.
   */
  private static JsonNode jackson(String text) {
    // Skipped as this parser skips it; Jackson's own handling depends on how it is given the input.
    String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
    try {
      JsonNode node = JACKSON.readTree(json);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      return message.contains("surrogate") ? DIVERGES : null;
    }
  }

  private static final JsonNode DIVERGES = JsonNodeFactory.instance.textNode("(Jackson rejects lone surrogate escapes)");

  private static String jacksonError(String text) {
    if (text == null) {
      return "malformed UTF-8";
    }
    try {
      JACKSON.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
      return "empty";
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage() + " at " + e.getLocation();
    }
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Our value as a Jackson tree, checking on the way that it uses only the documented types. */
  private static JsonNode toNode(Object value) {
    if (value == null) {
      return JACKSON.getNodeFactory().nullNode();
    } else if (value.getClass() == LinkedHashMap.class) {
      var object = JACKSON.getNodeFactory().objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        object.set((String) e.getKey(), toNode(e.getValue()));
      }
      return object;
    } else if (value.getClass() == ArrayList.class) {
      var array = JACKSON.getNodeFactory().arrayNode();
      for (Object element : (List<?>) value) {
        array.add(toNode(element));
      }
      return array;
    } else if (value instanceof String) {
      return JACKSON.getNodeFactory().textNode((String) value);
    } else if (value instanceof Long) {
      return JACKSON.getNodeFactory().numberNode((Long) value);
    } else if (value instanceof Double) {
      return JACKSON.getNodeFactory().numberNode((Double) value);
    } else if (value instanceof Boolean) {
      return JACKSON.getNodeFactory().booleanNode((Boolean) value);
    }
    throw new AssertionError("unexpected type " + value.getClass());
  }

  /**
   * Equal trees, member order included; numbers by value: integers that fit a long exactly, any
   * other number as a double (the parser's promise, and what Jackson's big integers round to).
   */
  private static void assertSameTree(JsonNode ours, JsonNode expected, Supplier<String> label, byte[] input) {
    if (!sameTree(ours, expected)) {
      throw new AssertionError(label.get() + "\n  input:    " + new String(input, StandardCharsets.UTF_8)
          + "\n  ours:     " + ours + "\n  Jackson:  " + expected);
    }
  }

  private static boolean sameTree(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      boolean aLong = a.isIntegralNumber() && a.canConvertToLong();
      boolean bLong = b.isIntegralNumber() && b.canConvertToLong();
      if (aLong || bLong) {
        return aLong && bLong && a.longValue() == b.longValue();
      }
      return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> ia = a.properties().iterator();
      Iterator<Map.Entry<String, JsonNode>> ib = b.properties().iterator();
      while (ia.hasNext() && ib.hasNext()) {
        Map.Entry<String, JsonNode> ea = ia.next();
        Map.Entry<String, JsonNode> eb = ib.next();
        if (!ea.getKey().equals(eb.getKey()) || !sameTree(ea.getValue(), eb.getValue())) {
          return false;
        }
      }
      return !ia.hasNext() && !ib.hasNext();
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameTree(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  // --- the generator ----------------------------------------------------------------------------

  private static Object randomDocument(Random random) {
    Object value = randomValue(random, 0);
    if (random.nextInt(100) == 0) { // now and then, deep (but within the limit)
      int depth = 1 + random.nextInt(120);
      for (int i = 0; i < depth; i++) {
        if (random.nextBoolean()) {
          List<Object> array = new ArrayList<>();
          array.add(value);
          value = array;
        } else {
          Map<String, Object> object = new LinkedHashMap<>();
          object.put(randomString(random), value);
          value = object;
        }
      }
    }
    return value;
  }

  private static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth >= 5 ? 7 : 11)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return randomLong(random);
      case 3:
        return randomDouble(random);
      case 4:
        return random.nextBoolean()
            ? new BigInteger(1 + random.nextInt(130), random).negate().add(BigInteger.valueOf(random.nextInt(3)))
            : new BigDecimal(new BigInteger(1 + random.nextInt(70), random), random.nextInt(800) - 400);
      case 5:
      case 6:
        return randomString(random);
      case 7:
      case 8: {
        Map<String, Object> object = new LinkedHashMap<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
          object.put(randomString(random), randomValue(random, depth + 1));
        }
        return object;
      }
      default: {
        List<Object> array = new ArrayList<>();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
          array.add(randomValue(random, depth + 1));
        }
        return array;
      }
    }
  }

  private static long randomLong(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return random.nextInt(200) - 100;
      case 1:
        return random.nextLong();
      case 2:
        return random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
      case 3:
        return random.nextLong() >> random.nextInt(64);
      case 4:
        return 1_700_000_000L + random.nextInt(100_000_000);
      default:
        return (long) Math.pow(10, random.nextInt(19)) * (random.nextBoolean() ? 1 : -1) + random.nextInt(3) - 1;
    }
  }

  private static double randomDouble(Random random) {
    switch (random.nextInt(7)) {
      case 0:
        return random.nextDouble();
      case 1:
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(60) - 30);
      case 2: {
        double d = Double.longBitsToDouble(random.nextLong());
        return Double.isFinite(d) ? d : 0.5;
      }
      case 3:
        return 1_700_000_000 + random.nextInt(100_000_000) + random.nextInt(1_000_000) / 1e6; // epoch seconds
      case 4:
        return random.nextInt(1000) / 100.0;
      case 5:
        return random.nextInt(2000) - 1000.0;
      default: {
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
          1e22, 1e23, 9007199254740993.0, 9007199254740992.0, 0.1, 1e-7, 123456789012345680.0};
        return edges[random.nextInt(edges.length)];
      }
    }
  }

  private static String randomString(Random random) {
    int length = random.nextInt(random.nextInt(8) == 0 ? 40 : 8);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(10)) {
        case 0:
          s.append((char) random.nextInt(0x20));
          break;
        case 1:
          s.append("\"\\/\u007f\u2028\u2029\uFEFF\uFFFF".charAt(random.nextInt(8)));
          break;
        case 2:
          s.append((char) (0x80 + random.nextInt(0x780))); // 2 UTF-8 bytes
          break;
        case 3: {
          char c = (char) (0x800 + random.nextInt(0xF800)); // 3 UTF-8 bytes
          s.append(Character.isSurrogate(c) ? 'x' : c);
          break;
        }
        case 4:
          s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // 4 UTF-8 bytes, a pair in Java
          break;
        default:
          s.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return s.toString();
  }

  // --- utilities --------------------------------------------------------------------------------

  /** Parses both as a String and as bytes in the middle of a larger array; both must agree. */
  private static Object parse(String json) {
    Object fromString = JsonReader.parse(json);
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    byte[] padded = concat(ascii("x]"), utf8, ascii("]x"));
    assertThat(JsonReader.parse(padded, 2, utf8.length)).isEqualTo(fromString);
    return fromString;
  }

  /** The error for {@code json}, which its String and byte forms must report alike. */
  private static JsonParseException error(String json) {
    JsonParseException fromString = catchParse(() -> JsonReader.parse(json));
    if (!hasLoneSurrogate(json)) {
      byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
      byte[] padded = concat(ascii("[1"), utf8, ascii("]x"));
      JsonParseException fromBytes = catchParse(() -> JsonReader.parse(padded, 2, utf8.length));
      assertThat(fromBytes.getMessage()).isEqualTo(fromString.getMessage());
      assertThat(fromBytes.offset())
          .isEqualTo(json.substring(0, (int) fromString.offset()).getBytes(StandardCharsets.UTF_8).length);
    }
    assertPositionConsistent(json, fromString, () -> json);
    return fromString;
  }

  private static JsonParseException catchParse(Runnable parse) {
    try {
      parse.run();
    } catch (JsonParseException e) {
      return e;
    }
    throw new AssertionError("expected a JsonParseException");
  }

  private static boolean hasLoneSurrogate(String s) {
    return !s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int n = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, n, part.length);
      n += part.length;
    }
    return out;
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02X", c));
      }
    }
    return s.toString();
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }
}
