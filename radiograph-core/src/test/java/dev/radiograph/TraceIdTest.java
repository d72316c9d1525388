package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdTest {
  private static final String TEXT = "1-5759e988-bd862e3fe1be46a994272793";
  private static final String W3C = "5759e988bd862e3fe1be46a994272793";

  @Test
  void createWritesVersionEpochSecondsAndRandomLowerCaseHex() {
    long before = System.currentTimeMillis() / 1000;
    TraceId id = TraceId.create();
    long after = System.currentTimeMillis() / 1000;

    String text = id.toString();
    assertThat(text).matches("1-[0-9a-f]{8}-[0-9a-f]{24}");
    long epoch = Long.parseLong(text.substring(2, 10), 16);
    assertThat(epoch).isBetween(before - 2, after + 2);
    assertThat(id.epochSeconds()).isEqualTo(epoch);
  }

  @Test
  void createGivesDifferentIds() {
    Set<TraceId> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(TraceId.create());
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void createAtATimeKeepsTheLow32BitsOfTheEpoch() {
    assertThat(TraceId.create(0x5759e988L).toString()).startsWith("1-5759e988-");
    assertThat(TraceId.create(0x1_0000_0001L).epochSeconds()).isEqualTo(1);
  }

  @Test
  void parsesItsOwnText() {
    TraceId id = TraceId.parse(TEXT);

    assertThat(id).isNotNull();
    assertThat(id.toString()).isEqualTo(TEXT);
    assertThat(id.epochSeconds()).isEqualTo(0x5759e988L);
    assertThat(TraceId.parse(TraceId.create().toString())).isNotNull();
  }

  @Test
  void acceptsUpperCaseHexAndWritesLowerCase() {
    TraceId id = TraceId.parse(TEXT.toUpperCase());

    assertThat(id).isEqualTo(TraceId.parse(TEXT));
    assertThat(id.toString()).isEqualTo(TEXT);
  }

  @Test
  void readsAnyCharSequence() {
    assertThat(TraceId.parse(new StringBuilder(TEXT))).isEqualTo(TraceId.parse(TEXT));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "1-5759e988-bd862e3fe1be46a99427279",
        "1-5759e988-bd862e3fe1be46a9942727933",
        "0-5759e988-bd862e3fe1be46a994272793",
        "2-5759e988-bd862e3fe1be46a994272793",
        "1_5759e988-bd862e3fe1be46a994272793",
        "1-5759e988_bd862e3fe1be46a994272793",
        "1-5759e98g-bd862e3fe1be46a994272793",
        "1-5759e988-bd862e3fe1be46a99427279z",
        "1-5759e988-bd862e3f-e1be46a99427279",
        " 1-5759e988-bd862e3fe1be46a99427279",
        "1-5759e988-bd862e3fe1be46a99427279\u0663",
        "5759e988bd862e3fe1be46a994272793",
      })
  void parseRejectsAnythingElse(String text) {
    assertThat(TraceId.parse(text)).isNull();
  }

  @Test
  void theW3cFormIsTheSame32HexDigits() {
    TraceId id = TraceId.parse(TEXT);

    assertThat(id.toW3C()).isEqualTo(W3C);
    assertThat(TraceId.fromW3C(W3C)).isEqualTo(id);
    assertThat(TraceId.fromW3C(W3C.toUpperCase())).isEqualTo(id);
    for (int i = 0; i < 100; i++) {
      TraceId random = TraceId.create();
      assertThat(TraceId.fromW3C(random.toW3C())).isEqualTo(random);
      assertThat(random.toW3C()).isEqualTo(random.toString().substring(2).replace("-", ""));
    }
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "00000000000000000000000000000000",
        "5759e988bd862e3fe1be46a99427279",
        "5759e988bd862e3fe1be46a9942727933",
        "5759e988bd862e3fe1be46a99427279g",
        "5759e988-bd862e3fe1be46a994272793",
      })
  void fromW3cRejectsInvalidAndAllZeroIds(String hex) {
    assertThat(TraceId.fromW3C(hex)).isNull();
  }

  @Test
  void fromW3cAcceptsAnIdWithOnlyTheEpochOrOnlyTheRandomPartZero() {
    assertThat(TraceId.fromW3C("00000000000000000000000000000001")).isNotNull();
    assertThat(TraceId.fromW3C("00000001000000000000000000000000")).isNotNull();
  }

  @Test
  void equalsAndHashCodeFollowTheValue() {
    TraceId one = TraceId.parse(TEXT);
    TraceId same = TraceId.parse(TEXT.toUpperCase());
    TraceId otherEpoch = TraceId.parse("1-5759e989-bd862e3fe1be46a994272793");
    TraceId otherHigh = TraceId.parse("1-5759e988-bd862e3ee1be46a994272793");
    TraceId otherLow = TraceId.parse("1-5759e988-bd862e3fe1be46a994272794");

    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(one).isNotEqualTo(otherEpoch).isNotEqualTo(otherHigh).isNotEqualTo(otherLow);
    assertThat(one).isNotEqualTo(null).isNotEqualTo(TEXT);
  }

  @Test
  void writesTheSameTextAsAsciiBytes() {
    TraceId id = TraceId.parse(TEXT);
    byte[] out = new byte[TraceId.LENGTH + 2];

    id.writeTo(out, 1);

    assertThat(new String(out, 1, TraceId.LENGTH, StandardCharsets.US_ASCII)).isEqualTo(TEXT);
    assertThat(out[0]).isZero();
    assertThat(out[TraceId.LENGTH + 1]).isZero();
  }
}
