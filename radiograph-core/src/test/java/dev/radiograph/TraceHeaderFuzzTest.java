package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.radiograph.TraceHeader.Sampled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Generated inputs, each checked against the laws of {@link TraceHeader} and against a slow,
 * obviously-correct reference model written with {@code split} and regular expressions.
 *
 * <p>Every test uses a fixed seed, printed in each failure message with the case number, so that
 * a failure can be replayed.
 */
class TraceHeaderFuzzTest {
  private static final long SEED = 0x5EED_7ACE_4EADL;

  private static final String HEADER_ALPHABET =
      "RootParentSampledLineageSelf=;=;;  \t-1-0?abcdefABCDEF0123456789:|_xyz";
  private static final Pattern ROOT = Pattern.compile("1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}");
  private static final Pattern HEX16 = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Pattern VALUE_TEXT = Pattern.compile("[\\x21-\\x3A\\x3C-\\x7E]+");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern OTEL_PREFIX = Pattern.compile("Root|Parent|Sampled");
  private static final Pattern TRACEPARENT =
      Pattern.compile(
          "([0-9a-fA-F]{2})-([0-9a-fA-F]{32})-([0-9a-fA-F]{16})-([0-9a-fA-F]{2})(-.*)?",
          Pattern.DOTALL);
  private static final Pattern WRITTEN_TRACEPARENT =
      Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
  private static final String[] KNOWN = {"Root", "Parent", "Sampled", "Lineage"};

  @Test
  void randomAsciiStrings() {
    Random random = new Random(SEED);
    for (int i = 0; i < 30_000; i++) {
      int length = random.nextInt(120);
      StringBuilder s = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        s.append(
            random.nextInt(3) == 0
                ? (char) random.nextInt(128)
                : HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length())));
      }
      checkInput(s.toString(), SEED, "ascii", i);
    }
  }

  @Test
  void randomUnicodeStrings() {
    long seed = SEED + 1;
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(80);
      StringBuilder s = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        switch (random.nextInt(8)) {
          case 0:
            s.append((char) random.nextInt(0x10000)); // includes lone surrogates
            break;
          case 1:
            s.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate
            break;
          case 2:
            s.append((char) (0x300 + random.nextInt(0x70))); // combining marks
            break;
          case 3:
            s.append((char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7F + random.nextInt(0x21)));
            break;
          case 4:
            s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a valid pair
            break;
          case 5:
            s.append("ıſKİ".charAt(random.nextInt(4))); // case-folding look-alikes
            break;
          default:
            s.append(HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length())));
        }
      }
      checkInput(s.toString(), seed, "unicode", i);
    }
  }

  @Test
  void validHeadersRoundTripExactly() {
    long seed = SEED + 2;
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      int index = i;
      Supplier<String> where = () -> "seed " + seed + " case " + index;
      Parts parts = randomParts(random);
      TraceHeader expected = parts.build();

      // Nothing valid is lost on the way in.
      same(expected.root(), parts.root, where);
      same(expected.parentIdValue(), parts.parent, where);
      same(expected.sampled(), parts.sampled, where);
      same(expected.lineage(), parts.lineage, where);
      sameEntries(expected.additionalKeys(), parts.additional, where);

      String canonical = parts.canonical();
      same(expected.toString(), canonical, where);
      same(TraceHeader.parse(canonical), expected, where);
      same(TraceHeader.parse(canonical).toString(), canonical, where);

      String noisy = parts.noisy(random);
      TraceHeader parsed = TraceHeader.parse(noisy);
      same(parsed, expected, () -> where.get() + " noisy " + escape(noisy));
      same(parsed.toString(), canonical, where);
      checkInput(noisy, seed, "valid", i);
    }
  }

  @Test
  void mutatedValidHeaders() {
    long seed = SEED + 3;
    Random random = new Random(seed);
    for (int i = 0; i < 25_000; i++) {
      Parts parts = randomParts(random);
      StringBuilder s =
          new StringBuilder(random.nextBoolean() ? parts.canonical() : parts.noisy(random));
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        mutate(s, random);
      }
      checkInput(s.toString(), seed, "mutated", i);
    }
  }

  @Test
  void traceparentLikeStrings() {
    long seed = SEED + 4;
    Random random = new Random(seed);
    String[] versions = {"00", "00", "00", "01", "cc", "fe", "ff", "FF", "0g", "0", "000"};
    for (int i = 0; i < 15_000; i++) {
      StringBuilder s = new StringBuilder();
      if (random.nextInt(10) == 0) {
        s.append(random.nextBoolean() ? ' ' : '\t');
      }
      s.append(
          random.nextInt(8) == 0
              ? randomHex(random, 2)
              : versions[random.nextInt(versions.length)]);
      s.append('-');
      s.append(random.nextInt(20) == 0 ? "0".repeat(32) : randomHex(random, 32));
      s.append('-');
      s.append(random.nextInt(20) == 0 ? "0".repeat(16) : randomHex(random, 16));
      s.append('-');
      s.append(randomHex(random, 2));
      switch (random.nextInt(6)) {
        case 0:
          s.append("-").append(randomHex(random, random.nextInt(10)));
          break;
        case 1:
          s.append((char) (0x20 + random.nextInt(0x60)));
          break;
        default:
          break;
      }
      if (random.nextInt(4) == 0) {
        mutate(s, random);
      }
      String input = random.nextInt(5) == 0 ? s.toString().toUpperCase() : s.toString();
      checkInput(input, seed, "traceparent", i);
    }
  }

  @Test
  void veryLongInputs() {
    long seed = SEED + 5;
    Random random = new Random(seed);
    Parts parts = randomParts(random);
    String valid = parts.canonical();
    StringBuilder noise = new StringBuilder(1 << 20);
    for (int j = 0; j < 1 << 20; j++) {
      noise.append(HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length())));
    }
    StringBuilder unicode = new StringBuilder(10_000);
    for (int j = 0; j < 10_000; j++) {
      unicode.append((char) random.nextInt(0x10000));
    }
    String[] inputs = {
      noise.substring(0, 10_000),
      noise.toString(),
      unicode.toString(),
      valid + ";" + noise,
      noise + ";" + valid,
      valid + ";" + " ".repeat(1 << 20),
      "a=b;".repeat(1 << 15) + valid,
      "k" + "=".repeat(1 << 20),
      "Key=" + "v".repeat(1 << 20) + ";" + valid,
      "Lineage=" + "l".repeat(100_000) + ";" + valid,
      ";".repeat(1 << 20),
      ("Root=" + TraceId.create() + ";").repeat(20_000),
    };
    for (int i = 0; i < inputs.length; i++) {
      checkInput(inputs[i], seed, "long", i);
    }
  }

  // ----------------------------------------------------------------------------------------------

  /** All the laws, for one input; the seed and case number go in every failure message. */
  private static void checkInput(String input, long seed, String kind, int index) {
    Supplier<String> where =
        () -> "seed " + seed + " " + kind + " case " + index + " input " + escape(input);
    TraceHeader header;
    TraceHeader fromTraceparent;
    try {
      header = TraceHeader.parse(input);
      fromTraceparent = TraceHeader.fromTraceparent(input);
    } catch (RuntimeException e) {
      throw new AssertionError("threw on " + where.get(), e);
    }

    // The reference model agrees.
    same(header, referenceParse(input), where);
    same(fromTraceparent, referenceTraceparent(input), where);

    checkHeader(header, where);
    checkHeader(fromTraceparent, where);
    same(
        TraceHeader.from(input, input),
        header.hasRoot() || !fromTraceparent.hasRoot() ? header : fromTraceparent,
        where);
  }

  private static void checkHeader(TraceHeader header, Supplier<String> where) {
    String text = header.toString();
    TraceHeader again = TraceHeader.parse(text);
    same(again, header, where);
    same(again.hashCode(), header.hashCode(), where);
    same(again.toString(), text, where);

    int known = knownLength(header);
    if (text.length() > Math.max(256, known)
        || (!header.additionalKeys().isEmpty() && text.length() > 256)) {
      assertThat(text.length()).as(where).isLessThanOrEqualTo(Math.max(256, known));
      assertThat(text.length())
          .as(() -> where.get() + " (has additional keys)")
          .isLessThanOrEqualTo(256);
    }
    same(text.isEmpty(), header.isEmpty(), where);
    if (header.isEmpty() && header != TraceHeader.empty()) {
      assertThat(header).as(where).isSameAs(TraceHeader.empty());
    }
    same(header.toBuilder().build(), header, where);

    String traceparent = header.toTraceparent();
    if (traceparent == null) {
      same(header.hasRoot() && header.parentId() != null, false, where);
    } else {
      if (!WRITTEN_TRACEPARENT.matcher(traceparent).matches()) {
        assertThat(traceparent).as(where).matches(WRITTEN_TRACEPARENT);
      }
      TraceHeader back = TraceHeader.fromTraceparent(traceparent);
      same(back.root(), header.root(), where);
      same(back.parentIdValue(), header.parentIdValue(), where);
      same(
          back.sampled(),
          header.sampled() == Sampled.SAMPLED ? Sampled.SAMPLED : Sampled.NOT_SAMPLED,
          where);
    }
  }

  /**
   * {@code assertThat(actual).as(where).isEqualTo(expected)}, with AssertJ (and its message) only
   * built on failure: the fuzz loops make a million checks and must stay fast.
   */
  private static void same(Object actual, Object expected, Supplier<String> where) {
    if (!java.util.Objects.equals(actual, expected)) {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  /** The same entries in the same order; AssertJ only on failure. */
  private static void sameEntries(
      Map<String, String> actual, Map<String, String> expected, Supplier<String> where) {
    if (!new ArrayList<>(actual.entrySet()).equals(new ArrayList<>(expected.entrySet()))) {
      assertThat(actual).as(where).containsExactlyEntriesOf(expected);
    }
  }

  private static int knownLength(TraceHeader header) {
    List<Integer> parts = new ArrayList<>();
    if (header.root() != null) {
      parts.add(("Root=" + header.root()).length());
    }
    if (header.parentId() != null) {
      parts.add(("Parent=" + header.parentId()).length());
    }
    if (header.sampled() != Sampled.UNKNOWN) {
      parts.add("Sampled=1".length());
    }
    if (header.lineage() != null) {
      parts.add(("Lineage=" + header.lineage()).length());
    }
    return parts.stream().mapToInt(Integer::intValue).sum() + Math.max(0, parts.size() - 1);
  }

  // ---------------------------------------------------------------- the reference model

  /** What {@link TraceHeader#parse} is specified to do, written for clarity, not speed. */
  private static TraceHeader referenceParse(String input) {
    if (input == null) {
      return TraceHeader.empty();
    }
    TraceId root = null;
    long parent = 0;
    Sampled sampled = Sampled.UNKNOWN;
    String lineage = null;
    List<String[]> pairs = new ArrayList<>();
    for (String segment : input.split(";", -1)) {
      int equals = segment.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String key = trimSpace(segment.substring(0, equals));
      String value = trimSpace(segment.substring(equals + 1));
      if (key.isEmpty()) {
        continue;
      }
      // ASCII-only comparison: String.equalsIgnoreCase would take "ſampled" for "Sampled".
      String asciiLower = isAscii(key) ? key.toLowerCase(java.util.Locale.ROOT) : "";
      switch (asciiLower) {
        case "root":
          if (root == null && ROOT.matcher(value).matches()) {
            TraceId id = TraceId.parse(value);
            root = id.toW3C().equals("0".repeat(32)) ? null : id;
          }
          break;
        case "parent":
          if (parent == 0 && HEX16.matcher(value).matches()) {
            parent = Long.parseUnsignedLong(value, 16);
          }
          break;
        case "sampled":
          if (sampled == Sampled.UNKNOWN) {
            sampled =
                value.equals("1")
                    ? Sampled.SAMPLED
                    : value.equals("0")
                        ? Sampled.NOT_SAMPLED
                        : value.equals("?") ? Sampled.REQUESTED : Sampled.UNKNOWN;
          }
          break;
        case "lineage":
          if (lineage == null && value.length() <= 200 && VALUE_TEXT.matcher(value).matches()) {
            lineage = value;
          }
          break;
        default:
          if (KEY.matcher(key).matches()
              && !OTEL_PREFIX.matcher(key).lookingAt()
              && VALUE_TEXT.matcher(value).matches()) {
            pairs.add(new String[] {key, value});
          }
      }
    }
    StringBuilder known = new StringBuilder();
    if (root != null) {
      known.append(";Root=").append(root);
    }
    if (parent != 0) {
      known.append(";Parent=").append(hex16(parent));
    }
    if (sampled != Sampled.UNKNOWN) {
      known.append(";Sampled=x");
    }
    if (lineage != null) {
      known.append(";Lineage=").append(lineage);
    }
    int used = Math.max(0, known.length() - 1);
    Map<String, String> kept = new LinkedHashMap<>();
    for (String[] pair : pairs) {
      int cost = (used == 0 ? 0 : 1) + pair[0].length() + 1 + pair[1].length();
      if (!kept.containsKey(pair[0]) && used + cost <= 256) {
        kept.put(pair[0], pair[1]);
        used += cost;
      }
    }
    TraceHeader.Builder builder =
        TraceHeader.builder().root(root).parentId(parent).sampled(sampled).lineage(lineage);
    kept.forEach(builder::additionalKey);
    TraceHeader expected = builder.build();
    sameEntries(expected.additionalKeys(), kept, () -> "reference model for " + escape(input));
    return expected;
  }

  /** What {@link TraceHeader#fromTraceparent} is specified to do. */
  private static TraceHeader referenceTraceparent(String input) {
    Matcher m = TRACEPARENT.matcher(trimSpace(input));
    if (!m.matches()) {
      return TraceHeader.empty();
    }
    String version = m.group(1).toLowerCase(java.util.Locale.ROOT);
    String traceId = m.group(2).toLowerCase(java.util.Locale.ROOT);
    String parentId = m.group(3).toLowerCase(java.util.Locale.ROOT);
    int flags = Integer.parseInt(m.group(4), 16);
    if (version.equals("ff")
        || (version.equals("00") && m.group(5) != null)
        || traceId.equals("0".repeat(32))
        || parentId.equals("0".repeat(16))) {
      return TraceHeader.empty();
    }
    return TraceHeader.builder()
        .root(TraceId.parse("1-" + traceId.substring(0, 8) + "-" + traceId.substring(8)))
        .parentId(parentId)
        .sampled((flags & 1) == 1 ? Sampled.SAMPLED : Sampled.NOT_SAMPLED)
        .build();
  }

  private static String hex16(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }

  private static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- generators

  /** Valid parts of a header, each present or not, whose written form fits. */
  private static final class Parts {
    TraceId root;
    long parent;
    Sampled sampled = Sampled.UNKNOWN;
    String lineage;
    final Map<String, String> additional = new LinkedHashMap<>();

    TraceHeader build() {
      TraceHeader.Builder builder =
          TraceHeader.builder().root(root).parentId(parent).sampled(sampled).lineage(lineage);
      additional.forEach(builder::additionalKey);
      return builder.build();
    }

    List<String> knownPairs() {
      List<String> pairs = new ArrayList<>();
      if (root != null) {
        pairs.add("Root=" + root);
      }
      if (parent != 0) {
        pairs.add("Parent=" + hex16(parent));
      }
      if (sampled != Sampled.UNKNOWN) {
        pairs.add(
            "Sampled="
                + (sampled == Sampled.SAMPLED ? "1" : sampled == Sampled.NOT_SAMPLED ? "0" : "?"));
      }
      if (lineage != null) {
        pairs.add("Lineage=" + lineage);
      }
      return pairs;
    }

    String canonical() {
      List<String> pairs = knownPairs();
      additional.forEach((k, v) -> pairs.add(k + "=" + v));
      return String.join(";", pairs);
    }

    /**
     * The same header as another service might write it: known keys anywhere and in any case,
     * hex in any case, spaces and tabs, empty segments, invalid segments, and repeats that must
     * lose to the first value.
     */
    String noisy(Random random) {
      List<String> segments = new ArrayList<>();
      additional.forEach((k, v) -> segments.add(k + "=" + v));
      List<String> known = knownPairs();
      for (String pair : known) {
        int eq = pair.indexOf('=');
        String key = randomCase(pair.substring(0, eq), random);
        String value = pair.substring(eq + 1);
        if (!key.equalsIgnoreCase("lineage")) {
          value = randomCase(value, random);
        }
        segments.add(random.nextInt(segments.size() + 1), key + "=" + value);
      }
      // Repeats after the first occurrence lose; invalid values lose anywhere.
      for (String pair : new ArrayList<>(segments)) {
        if (random.nextInt(4) == 0) {
          int first = segments.indexOf(pair);
          int eq = pair.indexOf('=');
          String other = pair.substring(0, eq) + "=" + (random.nextBoolean() ? "1" : "zz");
          segments.add(first + 1 + random.nextInt(segments.size() - first), other);
        }
      }
      String[] junk = {"", " ", "garbage", "Root=nope", "Parent=12", "Sampled=x", "Bad Key=1",
          "Lineage=a b", "=", "k=", "\u00e9=1", "Key=\u00e9", "Lineage=" + "L".repeat(201),
          "SampledBy=1", "RootCause=x"};
      int junkCount = random.nextInt(3);
      for (int j = 0; j < junkCount; j++) {
        segments.add(random.nextInt(segments.size() + 1), junk[random.nextInt(junk.length)]);
      }
      StringBuilder out = new StringBuilder();
      for (int j = 0; j < segments.size(); j++) {
        if (j > 0) {
          out.append(space(random)).append(';').append(space(random));
        }
        String segment = segments.get(j);
        int eq = segment.indexOf('=');
        if (eq < 0) {
          out.append(segment);
        } else {
          out.append(segment, 0, eq).append(space(random)).append('=').append(space(random));
          out.append(segment, eq + 1, segment.length());
        }
      }
      return space(random) + out + space(random);
    }
  }

  private static Parts randomParts(Random random) {
    Parts parts = new Parts();
    if (random.nextInt(10) < 7) {
      String text;
      do {
        text = "1-" + randomHex(random, 8) + "-" + randomHex(random, 24);
      } while (text.equals("1-00000000-000000000000000000000000"));
      parts.root = TraceId.parse(text);
    }
    if (random.nextInt(10) < 7) {
      long parent;
      do {
        parent = random.nextInt(10) == 0 ? random.nextInt(1000) : random.nextLong();
      } while (parent == 0);
      parts.parent = parent;
    }
    parts.sampled = Sampled.values()[random.nextInt(4)];
    if (random.nextInt(10) < 3) {
      int length = random.nextInt(10) == 0 ? 1 + random.nextInt(200) : 1 + random.nextInt(30);
      parts.lineage = randomValueText(random, length);
    }
    int used = parts.canonical().length();
    int wanted = random.nextInt(10) < 5 ? 0 : random.nextInt(8);
    for (int j = 0; j < wanted; j++) {
      String key;
      do {
        key = randomKey(random);
      } while (isKnownKey(key)
          || OTEL_PREFIX.matcher(key).lookingAt()
          || parts.additional.containsKey(key));
      String value =
          randomValueText(random, 1 + (random.nextInt(8) == 0 ? random.nextInt(200) : random.nextInt(20)));
      int cost = (used == 0 ? 0 : 1) + key.length() + 1 + value.length();
      if (used + cost <= 256) {
        parts.additional.put(key, value);
        used += cost;
      }
    }
    return parts;
  }

  private static boolean isKnownKey(String key) {
    for (String known : KNOWN) {
      if (known.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }

  private static String randomKey(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    if (random.nextInt(10) == 0) {
      String known = KNOWN[random.nextInt(4)];
      switch (random.nextInt(3)) {
        case 0:
          return "Self";
        case 1:
          return known + "x"; // only the Lineage one is valid
        default:
          return known.toLowerCase(java.util.Locale.ROOT) + "_x";
      }
    }
    int length = 1 + random.nextInt(12);
    StringBuilder key = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  /** Printable ASCII without ';'. */
  private static String randomValueText(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      char c = (char) (0x21 + random.nextInt(0x7F - 0x21));
      if (c != ';') {
        s.append(c);
      }
    }
    return s.toString();
  }

  private static String randomHex(Random random, int digits) {
    StringBuilder s = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      s.append("0123456789abcdef".charAt(random.nextInt(16)));
    }
    return s.toString();
  }

  private static String randomCase(String s, Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return s.toUpperCase(java.util.Locale.ROOT);
      case 1:
        return s.toLowerCase(java.util.Locale.ROOT);
      case 2:
        StringBuilder mixed = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return mixed.toString();
      default:
        return s;
    }
  }

  private static String space(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return " ";
      case 1:
        return "\t";
      case 2:
        return " \t ";
      default:
        return "";
    }
  }

  private static void mutate(StringBuilder s, Random random) {
    int at = s.length() == 0 ? 0 : random.nextInt(s.length());
    switch (random.nextInt(9)) {
      case 0: // insert a random character
        s.insert(at, randomChar(random));
        break;
      case 1: // delete
        if (s.length() > 0) {
          s.deleteCharAt(at);
        }
        break;
      case 2: // replace
        if (s.length() > 0) {
          s.setCharAt(at, randomChar(random));
        }
        break;
      case 3: // change the case of a stretch
        int end = Math.min(s.length(), at + 1 + random.nextInt(10));
        String stretch = s.substring(at, end);
        s.replace(
            at,
            end,
            random.nextBoolean()
                ? stretch.toUpperCase(java.util.Locale.ROOT)
                : stretch.toLowerCase(java.util.Locale.ROOT));
        break;
      case 4: // duplicate a segment somewhere
        int start = s.lastIndexOf(";", at) + 1;
        int stop = s.indexOf(";", start);
        String segment = s.substring(start, stop < 0 ? s.length() : stop);
        s.insert(random.nextInt(s.length() + 1), random.nextBoolean() ? segment + ";" : ";" + segment);
        break;
      case 5: // extra separators and spaces
        s.insert(at, " ;=\t".charAt(random.nextInt(4)));
        break;
      case 6: // truncate
        s.setLength(at);
        break;
      case 7: // a lone surrogate or a control character
        s.insert(at, random.nextBoolean() ? (char) (0xD800 + random.nextInt(0x800)) : (char) random.nextInt(0x20));
        break;
      default: // a combining mark after a character
        s.insert(at, (char) (0x300 + random.nextInt(0x70)));
        break;
    }
  }

  private static char randomChar(Random random) {
    return random.nextBoolean()
        ? HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length()))
        : (char) random.nextInt(0x10000);
  }

  /** The input as Java source would write it, cut short for huge ones. */
  private static String escape(String s) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(s.length(), 400);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append('"');
    if (s.length() > limit) {
      out.append("... (").append(s.length()).append(" chars)");
    }
    return out.toString();
  }
}
