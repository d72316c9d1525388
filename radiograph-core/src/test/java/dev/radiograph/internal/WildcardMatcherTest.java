package dev.radiograph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cases the X-Ray SDKs document and test for their wildcard matcher. */
class WildcardMatcherTest {
  @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "*|anything|true",
      "*|''|true",
      "*|NULL|true",
      "NULL|anything|true",
      "''|''|true",
      "''|a|false",
      "a|a|true",
      "a|A|true",
      "A|a|true",
      "a|b|false",
      "a|aa|false",
      "?|a|true",
      "?|''|false",
      "??|a|false",
      "a?c|abc|true",
      "a?c|ac|false",
      "a*|a|true",
      "a*|abc|true",
      "*a|bca|true",
      "*a|bcab|false",
      "a*c|abbbbbc|true",
      "a*c|abbbbbd|false",
      "*.example.com|api.example.com|true",
      "*.example.com|example.com|false",
      "www.example.com|WWW.EXAMPLE.COM|true",
      "/api/*|/api/users/7|true",
      "/api/*|/apiv2/users|false",
      "/api/*/orders|/api/7/orders|true",
      "/api/*/orders|/api/7/orders/1|false",
      "GET|get|true",
      "*a*b*c*|xxaxxbxxcxx|true",
      "*a*b*c*|xxaxxcxxbxx|false",
      "a*b*|ab|true",
      "***|x|true",
      "?*?|ab|true",
      "?*?|a|false",
      "*?|''|false",
      "Straße|STRASSE|false",
      "ÄÖÜ|äöü|true",
  })
  void matches(String pattern, String text, boolean expected) {
    assertThat(WildcardMatcher.matches(pattern, text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"40000", "100000"})
  void longInputsStayFast(int length) {
    String text = "a".repeat(length);
    assertThat(WildcardMatcher.matches("*a*a*a*a*b", text)).isFalse();
    assertThat(WildcardMatcher.matches("*a*a*a*a*", text)).isTrue();
  }
}
