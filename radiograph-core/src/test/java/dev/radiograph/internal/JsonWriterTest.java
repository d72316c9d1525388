package dev.radiograph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every string, however odd, is written as valid UTF-8 JSON that a real parser reads back. */
class JsonWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static String expected(String s) {
    // What should come back: the same text with each lone surrogate replaced by U+FFFD.
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void assertValidUtf8(byte[] bytes) throws CharacterCodingException {
    StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(java.nio.ByteBuffer.wrap(bytes));
  }

  @Test
  void randomStringsRoundTripThroughJackson() throws Exception {
    Random random = new Random(20261125);
    JsonWriter w = new JsonWriter(16);
    for (int round = 0; round < 20_000; round++) {
      int length = random.nextInt(round % 100 == 0 ? 5000 : 40);
      char[] chars = new char[length];
      for (int i = 0; i < length; i++) {
        switch (random.nextInt(6)) {
          case 0 -> chars[i] = (char) random.nextInt(0x20); // control characters
          case 1 -> chars[i] = (char) (0xD800 + random.nextInt(0x800)); // surrogates, paired or not
          case 2 -> chars[i] = "\"\\/\u2028\u2029\u007f".charAt(random.nextInt(6));
          case 3 -> chars[i] = (char) random.nextInt(0x10000);
          default -> chars[i] = (char) (0x20 + random.nextInt(0x5f));
        }
      }
      String s = new String(chars);
      w.reset().beginObject().name("s:" + s).value(s).name("n").value(round).endObject();
      byte[] bytes = w.toByteArray();
      assertValidUtf8(bytes);
      JsonNode node = JSON.readTree(bytes);
      assertThat(node.get("s:" + expected(s)).asText()).as("round %d", round).isEqualTo(expected(s));
      assertThat(node.get("n").asInt()).isEqualTo(round);
    }
  }

  @Test
  void numbersTimesAndNesting() throws Exception {
    JsonWriter w = new JsonWriter(4);
    w.beginObject()
        .name("long").value(Long.MIN_VALUE)
        .name("max").value(Long.MAX_VALUE)
        .name("double").value(0.1)
        .name("big").value(1e300)
        .name("whole").value(3.0)
        .name("nan").value(Double.NaN)
        .name("time").epochSecondsValue(1_700_000_000_000_042L)
        .name("id").hexIdValue(0x00ab_cdefL)
        .name("list").beginArray().value(true).nullValue().beginObject().endObject().beginArray().endArray().endArray()
        .endObject();
    JsonNode node = JSON.readTree(w.toByteArray());
    assertThat(node.get("long").asLong()).isEqualTo(Long.MIN_VALUE);
    assertThat(node.get("max").asLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(node.get("double").asDouble()).isEqualTo(0.1);
    assertThat(node.get("big").asDouble()).isEqualTo(1e300);
    assertThat(node.get("whole").toString()).isEqualTo("3");
    assertThat(node.get("nan").isNull()).isTrue();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).contains("\"time\":1700000000.000042,");
    assertThat(node.get("id").asText()).isEqualTo("0000000000abcdef");
    assertThat(node.get("list").toString()).isEqualTo("[true,null,{},[]]");
  }
}
