package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.radiograph.TraceHeader.Sampled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceHeaderTest {
  private static final String ROOT = "1-5759e988-bd862e3fe1be46a994272793";
  private static final String PARENT = "53995c3f42cd8ad8";
  private static final String LINEAGE = "a87bd80c:1|68fd508a:5";
  private static final String FULL =
      "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1;Lineage=" + LINEAGE;
  private static final String W3C_TRACE_ID = "5759e988bd862e3fe1be46a994272793";
  private static final String TRACEPARENT = "00-" + W3C_TRACE_ID + "-" + PARENT + "-01";

  private static String repeat(char c, int count) {
    return String.valueOf(c).repeat(count);
  }

  @Test
  void headerNames() {
    assertThat(TraceHeader.HEADER_NAME).isEqualTo("X-Amzn-Trace-Id");
    assertThat(TraceHeader.TRACEPARENT_HEADER).isEqualTo("traceparent");
  }

  @Nested
  class Parsing {
    @Test
    void readsEveryPartOfTheDocumentedExample() {
      TraceHeader header = TraceHeader.parse(FULL);

      assertThat(header.root()).isEqualTo(TraceId.parse(ROOT));
      assertThat(header.hasRoot()).isTrue();
      assertThat(header.parentId()).isEqualTo(PARENT);
      assertThat(header.parentIdValue()).isEqualTo(Long.parseUnsignedLong(PARENT, 16));
      assertThat(header.sampled()).isEqualTo(Sampled.SAMPLED);
      assertThat(header.lineage()).isEqualTo(LINEAGE);
      assertThat(header.additionalKeys()).isEmpty();
      assertThat(header.isEmpty()).isFalse();
      assertThat(header.toString()).isEqualTo(FULL);
    }

    @Test
    void readsTheSampledValues() {
      assertThat(TraceHeader.parse("Sampled=1").sampled()).isEqualTo(Sampled.SAMPLED);
      assertThat(TraceHeader.parse("Sampled=0").sampled()).isEqualTo(Sampled.NOT_SAMPLED);
      assertThat(TraceHeader.parse("Sampled=?").sampled()).isEqualTo(Sampled.REQUESTED);
      assertThat(TraceHeader.parse("Root=" + ROOT).sampled()).isEqualTo(Sampled.UNKNOWN);
    }

    @Test
    void acceptsARootWithoutParentAsAnApplicationLoadBalancerSendsIt() {
      TraceHeader header = TraceHeader.parse("Root=" + ROOT);

      assertThat(header.root()).isEqualTo(TraceId.parse(ROOT));
      assertThat(header.parentId()).isNull();
      assertThat(header.parentIdValue()).isZero();
      assertThat(header.lineage()).isNull();
      assertThat(header.toString()).isEqualTo("Root=" + ROOT);
    }

    @Test
    void forwardsTheSelfKeyOfALoadBalancerAfterTheKnownParts() {
      String self = "1-67891234-12456789abcdef012345678";
      TraceHeader header = TraceHeader.parse("Self=" + self + ";Root=" + ROOT);

      assertThat(header.additionalKeys()).containsExactly(Map.entry("Self", self));
      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Self=" + self);
    }

    @Test
    void toleratesSpacesAndTabsAroundKeysValuesAndSeparators() {
      TraceHeader header =
          TraceHeader.parse(
              " \tRoot =\t"
                  + ROOT
                  + " ;  Parent\t=  "
                  + PARENT
                  + "\t;\tSampled = 1 ; Lineage= "
                  + LINEAGE
                  + " ; Foo = bar \t");

      assertThat(header.toString()).isEqualTo(FULL + ";Foo=bar");
    }

    @Test
    void acceptsAnyKeyOrder() {
      TraceHeader header =
          TraceHeader.parse(
              "Lineage=" + LINEAGE + ";Sampled=1;Parent=" + PARENT + ";Root=" + ROOT);

      assertThat(header).isEqualTo(TraceHeader.parse(FULL));
      assertThat(header.toString()).isEqualTo(FULL);
    }

    @Test
    void readsKeysInAnyCaseAndWritesThemCanonically() {
      TraceHeader header =
          TraceHeader.parse(
              "root=" + ROOT + ";PARENT=" + PARENT + ";sAmPlEd=1;LINEAGE=" + LINEAGE);

      assertThat(header.toString()).isEqualTo(FULL);
    }

    @Test
    void doesNotTakeNonAsciiLookAlikesForKnownKeys() {
      // Java's equalsIgnoreCase would match these: dotless i and long s upper-case to I and S.
      TraceHeader header =
          TraceHeader.parse("Root=" + ROOT + ";Lıneage=abc;ſampled=1;Parent=" + PARENT);

      assertThat(header.lineage()).isNull();
      assertThat(header.sampled()).isEqualTo(Sampled.UNKNOWN);
      assertThat(header.additionalKeys()).isEmpty();
      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT);
    }

    @Test
    void normalisesUpperCaseHexToLowerCase() {
      TraceHeader header =
          TraceHeader.parse("Root=" + ROOT.toUpperCase() + ";Parent=" + PARENT.toUpperCase());

      assertThat(header.root()).isEqualTo(TraceId.parse(ROOT));
      assertThat(header.parentId()).isEqualTo(PARENT);
      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT);
    }

    @Test
    void skipsEmptySegments() {
      TraceHeader header = TraceHeader.parse(";;Root=" + ROOT + ";;; ;\t;Parent=" + PARENT + ";");

      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT);
    }

    @Test
    void keepsUnknownKeysInTheirOrderAsWritten() {
      TraceHeader header =
          TraceHeader.parse(
              "Zeta=1;Root=" + ROOT + ";alpha_key=Two;Self=x-y:z;Sampled=0;Mid-Key=a=b==c");

      assertThat(header.additionalKeys())
          .containsExactly(
              Map.entry("Zeta", "1"),
              Map.entry("alpha_key", "Two"),
              Map.entry("Self", "x-y:z"),
              Map.entry("Mid-Key", "a=b==c"));
      assertThat(header.toString())
          .isEqualTo("Root=" + ROOT + ";Sampled=0;Zeta=1;alpha_key=Two;Self=x-y:z;Mid-Key=a=b==c");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Bad Key=1",
          "Bad.Key=1",
          "Käse=1",
          "Key=two words",
          "Key=välue",
          "Key=tab\tinside",
          "Key=",
          "Key= ",
          "=value",
          " = value",
          "Key",
          "Key=\u0000",
          "Key=\u007f",
        })
    void dropsMalformedUnknownPairs(String pair) {
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";" + pair + ";Good=1");

      assertThat(header.additionalKeys()).containsExactly(Map.entry("Good", "1"));
    }

    @Test
    void dropsKeysThatOpenTelemetryWouldTakeForAKnownKey() {
      // Its propagator matches "Sampled" as a prefix, so SampledBy=x would void the whole header.
      TraceHeader header =
          TraceHeader.parse(
              "Root=" + ROOT + ";SampledBy=x;RootCause=y;Parents=z;sampledBy=1;Lineage2=w");

      assertThat(header.additionalKeys())
          .containsExactly(Map.entry("sampledBy", "1"), Map.entry("Lineage2", "w"));
    }

    @Test
    void keepsTheFirstValueOfARepeatedUnknownKey() {
      TraceHeader header = TraceHeader.parse("Foo=1;Bar=2;Foo=3");

      assertThat(header.additionalKeys())
          .containsExactly(Map.entry("Foo", "1"), Map.entry("Bar", "2"));
    }

    @Test
    void treatsUnknownKeysCaseSensitively() {
      TraceHeader header = TraceHeader.parse("Foo=1;foo=2");

      assertThat(header.additionalKeys())
          .containsExactly(Map.entry("Foo", "1"), Map.entry("foo", "2"));
    }

    @Test
    void dropsTheUnknownPairsThatDoNotFitIn256Characters() {
      String known = "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1"; // 74 characters
      String big = "Big=" + repeat('x', 170); // 174: fits after the known parts (74 + 1 + 174)
      String tooBig = "Huge=" + repeat('y', 100); // does not fit after Big
      String small = "k=v"; // 249 + 1 + 3 = 253: fits
      String last = "z=12"; // 253 + 1 + 4 = 258: does not fit
      TraceHeader header =
          TraceHeader.parse(big + ";" + tooBig + ";" + known + ";" + small + ";" + last);

      assertThat(header.additionalKeys().keySet()).containsExactly("Big", "k");
      assertThat(header.toString()).isEqualTo(known + ";" + big + ";" + small).hasSize(253);
    }

    @Test
    void aSingleUnknownPairLongerThanTheBudgetIsDropped() {
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Big=" + repeat('x', 220));

      assertThat(header.additionalKeys()).isEmpty();
      assertThat(header.toString()).isEqualTo("Root=" + ROOT);
    }

    @Test
    void anUnknownPairCanFillTheHeaderToExactly256Characters() {
      String value = repeat('x', 256 - 40 - 1 - 4);
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Big=" + value);

      assertThat(header.toString()).hasSize(256);
      assertThat(TraceHeader.parse("Root=" + ROOT + ";Big=" + value + "x").additionalKeys())
          .isEmpty();
    }

    @Test
    void theLastFourCharactersCanStillTakeAPair() {
      String big = "Big=" + repeat('x', 252 - 40 - 1 - 4); // ends at 252
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";" + big + ";k=v;z=w");

      assertThat(header.additionalKeys().keySet()).containsExactly("Big", "k");
      assertThat(header.toString()).hasSize(256);
    }

    @Test
    void aHeaderOfOnlyUnknownKeysIsKept() {
      TraceHeader header = TraceHeader.parse("Foo=bar");

      assertThat(header.isEmpty()).isFalse();
      assertThat(header.hasRoot()).isFalse();
      assertThat(header.toString()).isEqualTo("Foo=bar");
    }

    @Test
    void theFirstValidValueOfARepeatedKnownKeyWins() {
      String otherRoot = "1-5759e988-00000000000000000000abcd";
      TraceHeader header =
          TraceHeader.parse(
              "Root=nonsense;Root="
                  + ROOT
                  + ";Root="
                  + otherRoot
                  + ";Parent=0000000000000000;Parent=xyz;Parent="
                  + PARENT
                  + ";Parent=1111111111111111;Sampled=2;Sampled=0;Sampled=1"
                  + ";Lineage=has space;Lineage="
                  + LINEAGE
                  + ";Lineage=other");

      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0;Lineage=" + LINEAGE);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2-5759e988-bd862e3fe1be46a994272793",
          "1-5759e988-bd862e3fe1be46a99427279",
          "1-5759e988-bd862e3fe1be46a9942727933",
          "1-5759e98g-bd862e3fe1be46a994272793",
          "1_5759e988-bd862e3fe1be46a994272793",
          "1-5759e988_bd862e3fe1be46a994272793",
          "1-5759e988-bd862e3f e1be46a994272793",
          "1-00000000-000000000000000000000000",
          "",
        })
    void dropsAnInvalidRoot(String root) {
      TraceHeader header = TraceHeader.parse("Root=" + root + ";Parent=" + PARENT);

      assertThat(header.root()).isNull();
      assertThat(header.hasRoot()).isFalse();
      assertThat(header.toString()).isEqualTo("Parent=" + PARENT);
    }

    @Test
    void acceptsARootWhoseRandomPartOrEpochAloneIsZero() {
      assertThat(TraceHeader.parse("Root=1-00000000-000000000000000000000001").hasRoot()).isTrue();
      assertThat(TraceHeader.parse("Root=1-00000001-000000000000000000000000").hasRoot()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"53995c3f42cd8ad", "53995c3f42cd8ad8a", "53995c3f42cd8adg", "0000000000000000", ""})
    void dropsAnInvalidParent(String parent) {
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Parent=" + parent);

      assertThat(header.parentId()).isNull();
      assertThat(header.parentIdValue()).isZero();
      assertThat(header.toString()).isEqualTo("Root=" + ROOT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "10", "yes", "true", "-1", "1?"})
    void dropsAnInvalidSampled(String sampled) {
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";Sampled=" + sampled);

      assertThat(header.sampled()).isEqualTo(Sampled.UNKNOWN);
      assertThat(header.toString()).isEqualTo("Root=" + ROOT);
    }

    @Test
    void keepsLineageAsOpaqueTextUpTo200PrintableCharacters() {
      String longest = repeat('a', 199) + "=";
      assertThat(TraceHeader.parse("Lineage=" + longest).lineage()).isEqualTo(longest);
      assertThat(TraceHeader.parse("Lineage=!\"#~").lineage()).isEqualTo("!\"#~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "tab\there", "é", "a\u0001"})
    void dropsAnInvalidLineage(String lineage) {
      assertThat(TraceHeader.parse("Root=" + ROOT + ";Lineage=" + lineage).lineage()).isNull();
    }

    @Test
    void dropsALineageLongerThan200Characters() {
      assertThat(TraceHeader.parse("Lineage=" + repeat('a', 201))).isSameAs(TraceHeader.empty());
    }

    @Test
    void aLongLineageLeavesNoRoomForUnknownKeys() {
      String lineage = repeat('l', 200);
      TraceHeader header =
          TraceHeader.parse(
              "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1;Lineage=" + lineage + ";k=v");

      assertThat(header.lineage()).isEqualTo(lineage);
      assertThat(header.additionalKeys()).isEmpty();
      assertThat(header.toString()).hasSize(40 + 1 + 23 + 1 + 9 + 1 + 208);
    }

    @Test
    void keepsOnlySampledWhenThatIsAllThereIs() {
      TraceHeader header = TraceHeader.parse("Sampled=?");

      assertThat(header.isEmpty()).isFalse();
      assertThat(header.hasRoot()).isFalse();
      assertThat(header.sampled()).isEqualTo(Sampled.REQUESTED);
      assertThat(header.toString()).isEqualTo("Sampled=?");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          " ",
          "\t \t",
          ";;;",
          "garbage",
          "=;=;==",
          "Root",
          "Root=",
          "Root=;Parent=;Sampled=;Lineage=",
          "\u0000\u0001\u001f",
          "\ud800",
          "\udc00Root=\ud800",
          "Ro\u0301ot=x",
          "日本語=テスト",
          "Key=\ud83d\ude00",
        })
    void givesTheSharedEmptyHeaderForGarbage(String value) {
      TraceHeader header = TraceHeader.parse(value);

      assertThat(header).isSameAs(TraceHeader.empty());
      assertThat(header.isEmpty()).isTrue();
      assertThat(header.toString()).isEmpty();
    }

    @Test
    void survivesAMegabyteOfInput() {
      String garbage = repeat('x', 1 << 20);
      String pairs = "a=b;".repeat(1 << 18);
      String value = "Root=" + ROOT + ";" + garbage + ";Big=" + garbage + ";" + pairs;

      TraceHeader header = TraceHeader.parse(value);

      assertThat(header.root()).isEqualTo(TraceId.parse(ROOT));
      assertThat(header.additionalKeys()).containsExactly(Map.entry("a", "b"));
      assertThat(TraceHeader.parse(garbage)).isSameAs(TraceHeader.empty());
      assertThat(TraceHeader.parse("Lineage=" + garbage)).isSameAs(TraceHeader.empty());
    }

    @Test
    void readsAnyCharSequence() {
      StringBuilder builder = new StringBuilder(FULL);

      assertThat(TraceHeader.parse(builder)).isEqualTo(TraceHeader.parse(FULL));
    }

    @Test
    void theAdditionalKeysAreUnmodifiable() {
      TraceHeader one = TraceHeader.parse("Foo=1");
      TraceHeader two = TraceHeader.parse("Foo=1;Bar=2");

      assertThatThrownBy(() -> one.additionalKeys().put("x", "y"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> two.additionalKeys().clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> TraceHeader.empty().additionalKeys().put("x", "y"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Writing {
    @Test
    void writesThePartsInCanonicalOrderWithoutSpaces() {
      TraceHeader header =
          TraceHeader.builder()
              .additionalKey("Foo", "bar")
              .lineage(LINEAGE)
              .sampled(Sampled.REQUESTED)
              .parentId(PARENT)
              .root(TraceId.parse(ROOT))
              .additionalKey("Self", "1-2-3")
              .build();

      assertThat(header.toString())
          .isEqualTo(
              "Root="
                  + ROOT
                  + ";Parent="
                  + PARENT
                  + ";Sampled=?;Lineage="
                  + LINEAGE
                  + ";Foo=bar;Self=1-2-3");
    }

    @Test
    void omitsAbsentParts() {
      assertThat(TraceHeader.builder().parentId(PARENT).build().toString())
          .isEqualTo("Parent=" + PARENT);
      assertThat(TraceHeader.builder().sampled(Sampled.NOT_SAMPLED).lineage("x").build().toString())
          .isEqualTo("Sampled=0;Lineage=x");
      assertThat(TraceHeader.builder().sampled(Sampled.UNKNOWN).build().toString()).isEmpty();
    }

    @Test
    void theEmptyHeaderIsWrittenAsNothing() {
      assertThat(TraceHeader.empty().toString()).isEmpty();
      assertThat(TraceHeader.empty().toTraceparent()).isNull();
    }

    @Test
    void writesTheParentIdAsSixteenLowerCaseDigits() {
      TraceHeader header = TraceHeader.builder().parentId(0xABL).build();

      assertThat(header.parentId()).isEqualTo("00000000000000ab");
      assertThat(header.toString()).isEqualTo("Parent=00000000000000ab");
      assertThat(TraceHeader.builder().parentId(-1L).build().parentId())
          .isEqualTo("ffffffffffffffff");
    }
  }

  @Nested
  class Building {
    @Test
    void buildsTheSameHeaderAsParsing() {
      TraceHeader built =
          TraceHeader.builder()
              .root(TraceId.parse(ROOT))
              .parentId(Long.parseUnsignedLong(PARENT, 16))
              .sampled(Sampled.SAMPLED)
              .lineage(LINEAGE)
              .build();

      assertThat(built).isEqualTo(TraceHeader.parse(FULL));
      assertThat(built.hashCode()).isEqualTo(TraceHeader.parse(FULL).hashCode());
    }

    @Test
    void anEmptyBuilderGivesTheSharedEmptyHeader() {
      assertThat(TraceHeader.builder().build()).isSameAs(TraceHeader.empty());
      assertThat(TraceHeader.parse(FULL).toBuilder().root(null).parentId(0).sampled(Sampled.UNKNOWN)
              .lineage(null).build())
          .isSameAs(TraceHeader.empty());
    }

    @Test
    void parentIdFromTextAcceptsEitherCaseAndNullRemovesIt() {
      assertThat(TraceHeader.builder().parentId(PARENT.toUpperCase()).build().parentId())
          .isEqualTo(PARENT);
      assertThat(TraceHeader.builder().parentId(PARENT).parentId((String) null).build())
          .isSameAs(TraceHeader.empty());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", "53995c3f42cd8ad", "53995c3f42cd8ad8a", "53995c3f42cd8adz", "0000000000000000",
          " 53995c3f42cd8ad"})
    void rejectsAnInvalidParentIdText(String parentId) {
      assertThatThrownBy(() -> TraceHeader.builder().parentId(parentId))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsTheAllZeroRoot() {
      TraceId zero = TraceId.parse("1-00000000-000000000000000000000000");

      assertThatThrownBy(() -> TraceHeader.builder().root(zero))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiresASampledValue() {
      assertThatThrownBy(() -> TraceHeader.builder().sampled(null))
          .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "é", "tab\t"})
    void rejectsAnInvalidLineage(String lineage) {
      assertThatThrownBy(() -> TraceHeader.builder().lineage(lineage))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsALineageLongerThan200Characters() {
      assertThat(TraceHeader.builder().lineage(repeat('a', 200)).build().lineage()).hasSize(200);
      assertThatThrownBy(() -> TraceHeader.builder().lineage(repeat('a', 201)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", "Root", "root", "PARENT", "Sampled", "lineage", "Bad Key", "Bad.Key", "Käse",
          "a=b", "a;b", "SampledBy", "RootCause", "Parent_2"})
    void rejectsAnInvalidAdditionalKey(String key) {
      assertThatThrownBy(() -> TraceHeader.builder().additionalKey(key, "value"))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "semi;colon", "välue", "tab\t", "\u0000"})
    void rejectsAnInvalidAdditionalValue(String value) {
      assertThatThrownBy(() -> TraceHeader.builder().additionalKey("Key", value))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAnAdditionalPairThatCanNeverFit() {
      assertThatThrownBy(() -> TraceHeader.builder().additionalKey("Key", repeat('x', 253)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(TraceHeader.builder().additionalKey("Key", repeat('x', 252)).build().toString())
          .hasSize(256);
    }

    @Test
    void rejectsNullKeysAndValues() {
      assertThatThrownBy(() -> TraceHeader.builder().additionalKey(null, "v"))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> TraceHeader.builder().additionalKey("k", null))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    void acceptsAdditionalValuesWithEqualsSigns() {
      assertThat(TraceHeader.builder().additionalKey("k", "a=b").build().toString())
          .isEqualTo("k=a=b");
    }

    @Test
    void replacingAnAdditionalKeyKeepsItsPlaceAndRemovingDropsIt() {
      TraceHeader header =
          TraceHeader.builder()
              .additionalKey("A", "1")
              .additionalKey("B", "2")
              .additionalKey("C", "3")
              .additionalKey("A", "4")
              .removeAdditionalKey("B")
              .build();

      assertThat(header.toString()).isEqualTo("A=4;C=3");
    }

    @Test
    void dropsAdditionalKeysThatDoNotFitAtBuild() {
      TraceHeader header =
          TraceHeader.builder()
              .root(TraceId.parse(ROOT))
              .additionalKey("Big", repeat('x', 200))
              .additionalKey("Bigger", repeat('y', 200))
              .additionalKey("k", "v")
              .build();

      assertThat(header.additionalKeys().keySet()).containsExactly("Big", "k");
      assertThat(header.toString().length()).isLessThanOrEqualTo(256);
    }

    @Test
    void theBuiltHeaderDoesNotChangeWithItsBuilder() {
      TraceHeader.Builder builder = TraceHeader.builder().additionalKey("A", "1");
      TraceHeader header = builder.build();

      builder.additionalKey("B", "2").parentId(PARENT);

      assertThat(header.toString()).isEqualTo("A=1");
      assertThat(builder.build().toString()).isEqualTo("Parent=" + PARENT + ";A=1;B=2");
    }

    @Test
    void toBuilderStartsFromTheHeaderAndLeavesItUnchanged() {
      TraceHeader header = TraceHeader.parse(FULL + ";Self=x;Foo=y");

      TraceHeader copy = header.toBuilder().build();
      TraceHeader changed = header.toBuilder().sampled(Sampled.NOT_SAMPLED).removeAdditionalKey("Self").build();

      assertThat(copy).isEqualTo(header);
      assertThat(copy.toString()).isEqualTo(header.toString());
      assertThat(changed.toString())
          .isEqualTo("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0;Lineage=" + LINEAGE + ";Foo=y");
      assertThat(header.toString()).isEqualTo(FULL + ";Self=x;Foo=y");
    }
  }

  @Nested
  class Deriving {
    @Test
    void withParentReplacesTheParent() {
      TraceHeader header = TraceHeader.parse(FULL);

      TraceHeader child = header.withParent(0x1234L);

      assertThat(child.parentId()).isEqualTo("0000000000001234");
      assertThat(child.root()).isEqualTo(header.root());
      assertThat(child.sampled()).isEqualTo(header.sampled());
      assertThat(child.lineage()).isEqualTo(header.lineage());
      assertThat(header.parentId()).isEqualTo(PARENT);
    }

    @Test
    void withParentAddsAParentToAnAlbHeaderAndZeroRemovesIt() {
      TraceHeader alb = TraceHeader.parse("Root=" + ROOT + ";Self=abc");

      TraceHeader child = alb.withParent(Long.parseUnsignedLong(PARENT, 16));

      assertThat(child.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT + ";Self=abc");
      assertThat(child.additionalKeys()).isSameAs(alb.additionalKeys());
      assertThat(child.withParent(0)).isEqualTo(alb);
      assertThat(TraceHeader.builder().parentId(PARENT).build().withParent(0))
          .isSameAs(TraceHeader.empty());
    }

    @Test
    void withParentReturnsTheSameInstanceWhenNothingChanges() {
      TraceHeader header = TraceHeader.parse(FULL);

      assertThat(header.withParent(header.parentIdValue())).isSameAs(header);
      assertThat(header.withSampled(Sampled.SAMPLED)).isSameAs(header);
    }

    @Test
    void withParentDropsAdditionalKeysThatNoLongerFit() {
      String big = "Big=" + repeat('x', 256 - 40 - 1 - 4 - 10);
      TraceHeader header = TraceHeader.parse("Root=" + ROOT + ";" + big + ";k=v");
      assertThat(header.additionalKeys().keySet()).containsExactly("Big", "k");

      TraceHeader child = header.withParent(42);

      assertThat(child.additionalKeys().keySet()).containsExactly("k");
      assertThat(child.toString()).hasSizeLessThanOrEqualTo(256);
      assertThat(TraceHeader.parse(child.toString())).isEqualTo(child);
    }

    @Test
    void withSampledAnswersARequest() {
      TraceHeader request = TraceHeader.parse("Root=" + ROOT + ";Sampled=?");

      assertThat(request.withSampled(Sampled.SAMPLED).toString()).isEqualTo("Root=" + ROOT + ";Sampled=1");
      assertThat(request.withSampled(Sampled.UNKNOWN).toString()).isEqualTo("Root=" + ROOT);
      assertThatThrownBy(() -> request.withSampled(null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class Equality {
    @Test
    void equalHeadersHaveEqualHashCodes() {
      TraceHeader one = TraceHeader.parse(FULL + ";A=1;B=2");
      TraceHeader two =
          TraceHeader.parse(
                  " b=x;root="
                      + ROOT.toUpperCase()
                      + ";PARENT="
                      + PARENT.toUpperCase()
                      + ";sampled=1;lineage="
                      + LINEAGE
                      + ";A=1;B=2;A=3")
              .toBuilder()
              .removeAdditionalKey("b")
              .build();

      assertThat(two).isEqualTo(one);
      assertThat(two.hashCode()).isEqualTo(one.hashCode());
    }

    @Test
    void everyPartCounts() {
      TraceHeader base = TraceHeader.parse(FULL + ";A=1");

      assertThat(base.toBuilder().root(TraceId.create()).build()).isNotEqualTo(base);
      assertThat(base.withParent(1)).isNotEqualTo(base);
      assertThat(base.withSampled(Sampled.NOT_SAMPLED)).isNotEqualTo(base);
      assertThat(base.toBuilder().lineage("other").build()).isNotEqualTo(base);
      assertThat(base.toBuilder().additionalKey("A", "2").build()).isNotEqualTo(base);
      assertThat(base.toBuilder().removeAdditionalKey("A").build()).isNotEqualTo(base);
      assertThat(base).isNotEqualTo(null).isNotEqualTo(FULL);
    }

    @Test
    void theOrderOfAdditionalKeysCounts() {
      // They are written in order, so headers that write differently are not equal.
      TraceHeader ab = TraceHeader.parse("A=1;B=2");
      TraceHeader ba = TraceHeader.parse("B=2;A=1");

      assertThat(ab).isNotEqualTo(ba);
      assertThat(ab.additionalKeys()).isEqualTo(ba.additionalKeys());
    }
  }

  @Nested
  class TraceContext {
    @Test
    void readsATraceparent() {
      TraceHeader header = TraceHeader.fromTraceparent(TRACEPARENT);

      assertThat(header.root()).isEqualTo(TraceId.parse(ROOT));
      assertThat(header.parentId()).isEqualTo(PARENT);
      assertThat(header.sampled()).isEqualTo(Sampled.SAMPLED);
      assertThat(header.lineage()).isNull();
      assertThat(header.additionalKeys()).isEmpty();
      assertThat(header.toString()).isEqualTo("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "03", "ff", "81", "0F"})
    void anOddFlagsByteIsSampled(String flags) {
      assertThat(TraceHeader.fromTraceparent(traceparent("00", flags)).sampled())
          .isEqualTo(Sampled.SAMPLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "02", "fe", "80"})
    void anEvenFlagsByteIsNotSampled(String flags) {
      assertThat(TraceHeader.fromTraceparent(traceparent("00", flags)).sampled())
          .isEqualTo(Sampled.NOT_SAMPLED);
    }

    @Test
    void acceptsUpperCaseHexLeniently() {
      assertThat(TraceHeader.fromTraceparent(TRACEPARENT.toUpperCase()))
          .isEqualTo(TraceHeader.fromTraceparent(TRACEPARENT));
    }

    @Test
    void ignoresSurroundingSpaces() {
      assertThat(TraceHeader.fromTraceparent(" \t" + TRACEPARENT + " "))
          .isEqualTo(TraceHeader.fromTraceparent(TRACEPARENT));
    }

    @Test
    void acceptsALaterVersionWithMoreFields() {
      TraceHeader expected = TraceHeader.fromTraceparent(TRACEPARENT);

      assertThat(TraceHeader.fromTraceparent(traceparent("01", "01") + "-what-comes-next"))
          .isEqualTo(expected);
      assertThat(TraceHeader.fromTraceparent(traceparent("cc", "01") + "-")).isEqualTo(expected);
      assertThat(TraceHeader.fromTraceparent(traceparent("fe", "01"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          // version ff is invalid, in either case
          "ff-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
          "FF-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
          // all-zero trace id or parent id
          "00-00000000000000000000000000000000-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a994272793-0000000000000000-01",
          // version 00 must be exactly 55 characters
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01-",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-010",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-1",
          "00-5759e988bd862e3fe1be46a99427279-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a9942727933-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad-01",
          // a later version continues only after a '-'
          "01-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01x",
          // not hex, wrong separators
          "0g-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a99427279z-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8adz-01",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-0x",
          "00_5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a994272793_53995c3f42cd8ad8-01",
          "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8_01",
          "0-05759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
          "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
        })
    void givesTheEmptyHeaderForAnInvalidTraceparent(String value) {
      assertThat(TraceHeader.fromTraceparent(value)).isSameAs(TraceHeader.empty());
    }

    @Test
    void writesATraceparent() {
      assertThat(TraceHeader.parse(FULL).toTraceparent()).isEqualTo(TRACEPARENT);
      assertThat(TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0").toTraceparent())
          .isEqualTo(traceparent("00", "00"));
    }

    @Test
    void writesRequestedAndUnknownAsNotSampled() {
      TraceHeader requested = TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=?");
      TraceHeader unknown = TraceHeader.parse("Root=" + ROOT + ";Parent=" + PARENT);

      assertThat(requested.toTraceparent()).isEqualTo(traceparent("00", "00"));
      assertThat(unknown.toTraceparent()).isEqualTo(traceparent("00", "00"));
      assertThat(TraceHeader.fromTraceparent(requested.toTraceparent()).sampled())
          .isEqualTo(Sampled.NOT_SAMPLED);
    }

    @Test
    void hasNoTraceparentWithoutRootAndParent() {
      assertThat(TraceHeader.parse("Root=" + ROOT + ";Sampled=1").toTraceparent()).isNull();
      assertThat(TraceHeader.parse("Parent=" + PARENT + ";Sampled=1").toTraceparent()).isNull();
    }

    @Test
    void roundTripsThroughTraceparent() {
      for (int i = 0; i < 100; i++) {
        TraceHeader header =
            TraceHeader.builder()
                .root(TraceId.create())
                .parentId(i + 1L)
                .sampled(i % 2 == 0 ? Sampled.SAMPLED : Sampled.NOT_SAMPLED)
                .build();

        assertThat(TraceHeader.fromTraceparent(header.toTraceparent())).isEqualTo(header);
        assertThat(header.toTraceparent()).isEqualTo("00-" + header.root().toW3C() + "-"
            + header.parentId() + (i % 2 == 0 ? "-01" : "-00"));
      }
    }

    private String traceparent(String version, String flags) {
      return version + "-" + W3C_TRACE_ID + "-" + PARENT + "-" + flags;
    }
  }

  @Nested
  class Precedence {
    private final String otherTraceparent =
        "00-11111111222222223333333344444444-5555555566666666-00";

    @Test
    void theAmznHeaderWinsWhenItHasARoot() {
      assertThat(TraceHeader.from(FULL, otherTraceparent)).isEqualTo(TraceHeader.parse(FULL));
      assertThat(TraceHeader.from("Root=" + ROOT, otherTraceparent).toString())
          .isEqualTo("Root=" + ROOT);
    }

    @Test
    void theTraceparentIsUsedWhenTheAmznHeaderHasNoRoot() {
      TraceHeader expected = TraceHeader.fromTraceparent(otherTraceparent);

      assertThat(TraceHeader.from(null, otherTraceparent)).isEqualTo(expected);
      assertThat(TraceHeader.from("Root=bad;Parent=" + PARENT + ";Sampled=?", otherTraceparent))
          .isEqualTo(expected);
    }

    @Test
    void theAmznHeaderAsParsedIsTheLastResort() {
      assertThat(TraceHeader.from("Sampled=?", "garbage").sampled()).isEqualTo(Sampled.REQUESTED);
      assertThat(TraceHeader.from("Sampled=?", null).toString()).isEqualTo("Sampled=?");
      assertThat(TraceHeader.from(null, null)).isSameAs(TraceHeader.empty());
      assertThat(TraceHeader.from("junk", "junk")).isSameAs(TraceHeader.empty());
    }
  }

  @Test
  void additionalKeysMapPreservesInsertionOrderForLargeSets() {
    StringBuilder text = new StringBuilder();
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 30; i > 0; i--) {
      text.append("k").append(i).append('=').append(i).append(';');
      expected.put("k" + i, String.valueOf(i));
    }

    assertThat(TraceHeader.parse(text).additionalKeys()).containsExactlyEntriesOf(expected);
  }
}
